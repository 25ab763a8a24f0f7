namespace ShelfAgent.Contract;

/// <summary>The schema ids of <see cref="TelemetrySchema"/>, as agent.json and the payloads' <c>schema</c> field spell them.</summary>
public static class TelemetrySchemas
{
    /// <summary>The schema id: <c>shelf.telemetry.v1</c> or <c>shelf.telemetry.v2</c>.</summary>
    public static string Text(TelemetrySchema schema) => schema switch
    {
        TelemetrySchema.V1 => TelemetryV1Encoder.Schema,
        TelemetrySchema.V2 => TelemetryV2Encoder.Schema,
        _ => throw new ArgumentOutOfRangeException(nameof(schema), schema, null),
    };

    /// <summary>The schema a schema id names, matched exactly (a schema id is not case-folded anywhere).</summary>
    public static bool TryParse(string? text, out TelemetrySchema schema)
    {
        switch (text)
        {
            case TelemetryV1Encoder.Schema:
                schema = TelemetrySchema.V1;
                return true;
            case TelemetryV2Encoder.Schema:
                schema = TelemetrySchema.V2;
                return true;
            default:
                schema = default;
                return false;
        }
    }
}

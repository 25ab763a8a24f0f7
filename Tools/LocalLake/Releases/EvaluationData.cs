using System.Text.Json.Serialization;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>What an evaluation replayed and scored against (metrics.json <c>data</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EvaluationData>))]
public enum EvaluationData
{
    /// <summary>Simulated stores (<c>shelf-sim traces</c>), scored against their ground truth (the backtest's strict scoring).</summary>
    [JsonStringEnumMemberName("traces")]
    Traces,

    /// <summary>The lake's own readings, scored against the stock-outs they show (the release-health definition).</summary>
    [JsonStringEnumMemberName("lake")]
    Lake,
}

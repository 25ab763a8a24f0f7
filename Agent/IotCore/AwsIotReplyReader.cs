using System.Text.Json;

namespace ShelfAgent.IotCore;

/// <summary>Reads the top-level fields every AWS IoT reply may carry (<c>clientToken</c>, the error fields). Pure.</summary>
public static class AwsIotReplyReader
{
    /// <summary>The top-level <c>clientToken</c>, or null when absent, not a string, or the payload is not a JSON object.</summary>
    public static string? ClientToken(ReadOnlySpan<byte> payload)
    {
        string? token = null;
        Scan(payload, (name, ref reader) =>
        {
            if (name == Field.ClientToken && reader.TokenType == JsonTokenType.String)
            {
                token = reader.GetString();
            }
        });
        return token;
    }

    /// <summary>The error fields of a <c>/rejected</c> payload, whichever naming the API uses (see <see cref="AwsIotError"/>).</summary>
    public static AwsIotError Error(ReadOnlySpan<byte> payload)
    {
        int? status = null;
        string? code = null;
        string? message = null;
        Scan(payload, (name, ref reader) =>
        {
            switch (name)
            {
                case Field.StatusCode or Field.Code when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var n):
                    status = n;
                    break;
                case Field.StatusCode when reader.TokenType == JsonTokenType.String && int.TryParse(reader.GetString(), out var s):
                    status = s;
                    break;
                case Field.ErrorCode or Field.Code when reader.TokenType == JsonTokenType.String:
                    code = reader.GetString();
                    break;
                case Field.ErrorMessage when reader.TokenType == JsonTokenType.String:
                    message = reader.GetString();
                    break;
                case Field.Message when reader.TokenType == JsonTokenType.String:
                    message ??= reader.GetString();
                    break;
            }
        });
        return new AwsIotError(status, code, message);
    }

    private delegate void FieldVisitor(Field name, ref Utf8JsonReader reader);

    private enum Field
    {
        Other,
        ClientToken,
        StatusCode,
        Code,
        ErrorCode,
        ErrorMessage,
        Message,
    }

    // Visits each top-level property's value (positioned on it); nested values are skipped. A payload that is not JSON
    // ends the scan quietly: a reply we cannot read is still a reply, with nothing known about it.
    private static void Scan(ReadOnlySpan<byte> payload, FieldVisitor visit)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = NameOf(ref reader);
                if (!reader.Read())
                {
                    return;
                }

                visit(name, ref reader);
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }
    }

    private static Field NameOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("clientToken"u8) ? Field.ClientToken
        : reader.ValueTextEquals("statusCode"u8) ? Field.StatusCode
        : reader.ValueTextEquals("code"u8) ? Field.Code
        : reader.ValueTextEquals("errorCode"u8) ? Field.ErrorCode
        : reader.ValueTextEquals("errorMessage"u8) ? Field.ErrorMessage
        : reader.ValueTextEquals("message"u8) ? Field.Message
        : Field.Other;
}

namespace ShelfAgent.IotCore;

/// <summary>
/// Parsed from a <c>/rejected</c> payload. The APIs name the fields differently: fleet provisioning sends
/// <c>statusCode</c>, <c>errorCode</c>, <c>errorMessage</c> (Developer Guide, "Fleet provisioning MQTT API"); the shadow
/// sends a numeric <c>code</c> and <c>message</c> ("Device Shadow service documents", error response document); jobs send
/// a string <c>code</c> (e.g. <c>VersionMismatch</c>) and <c>message</c> ("Jobs device MQTT API").
/// </summary>
/// <param name="StatusCode">HTTP-like status (<c>statusCode</c>, or a numeric <c>code</c>).</param>
/// <param name="ErrorCode">Symbolic error (<c>errorCode</c>, or a string <c>code</c>).</param>
/// <param name="ErrorMessage">Text (<c>errorMessage</c> or <c>message</c>).</param>
public sealed record AwsIotError(int? StatusCode, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>"statusCode 400, errorCode InvalidCSR: text", leaving out what AWS did not send.</summary>
    public override string ToString()
    {
        var parts = new List<string>(3);
        if (StatusCode is { } status)
        {
            parts.Add($"statusCode {status}");
        }

        if (!string.IsNullOrEmpty(ErrorCode))
        {
            parts.Add($"errorCode {ErrorCode}");
        }

        var head = parts.Count > 0 ? string.Join(", ", parts) : "no error code";
        return string.IsNullOrEmpty(ErrorMessage) ? head : $"{head}: {ErrorMessage}";
    }
}

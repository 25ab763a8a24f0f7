namespace ShelfAgent.IotCore.Provisioning;

/// <summary>The end of a rotation, small enough for a job's statusDetails.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Message">One line: what happened (no key material, no token).</param>
/// <param name="CertificateId">The new certificate's id, once issued.</param>
/// <param name="CertFile">The new certificate file when <see cref="RotationOutcome.Rotated"/>.</param>
/// <param name="KeyFile">The new key file when rotated.</param>
/// <param name="PreviousCertFile">The replaced certificate file: kept, because the running connection may still reconnect with it
/// until the agent restarts on the new one; the caller deletes it after that.</param>
/// <param name="PreviousKeyFile">The replaced key file, likewise.</param>
/// <param name="Error">AWS's statusCode/errorCode/errorMessage when rejected.</param>
public sealed record RotationResult(
    RotationOutcome Outcome,
    string Message,
    string? CertificateId = null,
    string? CertFile = null,
    string? KeyFile = null,
    string? PreviousCertFile = null,
    string? PreviousKeyFile = null,
    AwsIotError? Error = null)
{
    /// <summary>True when agent.json names the new certificate.</summary>
    public bool Switched => Outcome == RotationOutcome.Rotated;
}

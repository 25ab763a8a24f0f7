using ShelfAgent.IotCore.Provisioning;

namespace ShelfAgent.IotCore.Jobs.Operations;

/// <summary>
/// A rotate-certificate job's outcome from the rotation engine's result (pure): rotated → SUCCEEDED with the new
/// certificate id, and the agent restarts on it once the service accepted the report; anything else → FAILED saying
/// the current certificate stays, with AWS's error fields when it rejected a step.
/// </summary>
public static class RotationJobOutcome
{
    /// <summary>The outcome for <paramref name="result"/>.</summary>
    public static JobOutcome From(RotationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var id = new KeyValuePair<string, string>("certificateId", result.CertificateId ?? "none");
        if (result.Switched)
        {
            return JobOutcome.Succeeded(new("result", result.Message), id) with { RestartAfterReport = true };
        }

        List<KeyValuePair<string, string>> details =
            [new("outcome", result.Outcome.ToString()), id, new("kept", "the current certificate stays in agent.json and in use")];
        if (result.Error is { } aws)
        {
            details.Add(new("statusCode", aws.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"));
            details.Add(new("errorCode", aws.ErrorCode ?? "-"));
            details.Add(new("errorMessage", aws.ErrorMessage ?? "-"));
        }

        return JobOutcome.Failed(result.Message, [.. details]);
    }
}

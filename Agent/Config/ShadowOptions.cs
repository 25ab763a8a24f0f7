namespace ShelfAgent.Config;

/// <summary><c>Shadow</c>: how the device keeps its classic shadow (docs/shadow.md).</summary>
public sealed class ShadowOptions
{
    /// <summary>Shortest accepted <see cref="ReportIntervalSeconds"/>.</summary>
    public const int MinReportIntervalSeconds = 5;

    /// <summary>Longest accepted <see cref="ReportIntervalSeconds"/>: a day.</summary>
    public const int MaxReportIntervalSeconds = 86_400;

    /// <summary>
    /// <c>Shadow:ReportIntervalSeconds</c>: the reported state is updated when it changed, at most this often
    /// (an applied or refused desired change is reported at once, within the request-rate guard).
    /// </summary>
    public int ReportIntervalSeconds { get; set; } = 60;

    /// <summary>
    /// <c>Shadow:Enabled</c>: true or false; unset means on when <c>Mqtt:Host</c> is an AWS IoT endpoint (a plain MQTT
    /// broker has no shadow service to answer).
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Checks the keys; one place for the rules.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (ReportIntervalSeconds is < MinReportIntervalSeconds or > MaxReportIntervalSeconds)
        {
            yield return (
                "Shadow:ReportIntervalSeconds",
                $"must be from {MinReportIntervalSeconds} to {MaxReportIntervalSeconds} seconds (was {ReportIntervalSeconds})");
        }
    }
}

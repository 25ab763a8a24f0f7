namespace ShelfAgent.Cloud.Releases;

/// <summary>
/// How a job template rolls out and when it stops itself (docs/jobs.md, "Releasing an agent update"): 10 devices a
/// minute, doubling after every 10 successes, up to 200 a minute; cancelled when more than 5 % of at least 20 executions
/// FAILED (a device that rolled back reports FAILED with its reason, so a bad release stops itself).
/// </summary>
public static class JobRollout
{
    /// <summary>Devices notified per minute at the start.</summary>
    public const int BaseRatePerMinute = 10;

    /// <summary>Factor the rate grows by at each step.</summary>
    public const double IncrementFactor = 2;

    /// <summary>Successes that allow the next step.</summary>
    public const int SucceededPerStep = 10;

    /// <summary>Ceiling of devices notified per minute.</summary>
    public const int MaximumPerMinute = 200;

    /// <summary>Share of FAILED executions (percent) that cancels the job…</summary>
    public const double AbortFailedPercent = 5;

    /// <summary>… once at least this many executions have finished.</summary>
    public const int AbortMinExecuted = 20;

    /// <summary>Lifetime of each pre-signed download URL (AWS IoT's maximum).</summary>
    public const int PresignedUrlSeconds = 3600;

    // CDK 2.160 types these CfnJobTemplate properties as plain JSON: the keys are written as CloudFormation spells them
    // (AWS::IoT::JobTemplate), not as the generated property classes would serialize them (camelCase).

    /// <summary>The exponential rollout (JobExecutionsRolloutConfig).</summary>
    public static Dictionary<string, object> Rollout() => new()
    {
        ["ExponentialRolloutRate"] = new Dictionary<string, object>
        {
            ["BaseRatePerMinute"] = BaseRatePerMinute,
            ["IncrementFactor"] = IncrementFactor,
            ["RateIncreaseCriteria"] = new Dictionary<string, object> { ["NumberOfSucceededThings"] = SucceededPerStep },
        },
        ["MaximumPerMinute"] = MaximumPerMinute,
    };

    /// <summary>The abort on failure rate (AbortConfig).</summary>
    public static Dictionary<string, object> Abort() => new()
    {
        ["CriteriaList"] = new object[]
        {
            new Dictionary<string, object>
            {
                ["FailureType"] = "FAILED",
                ["Action"] = "CANCEL",
                ["ThresholdPercentage"] = AbortFailedPercent,
                ["MinNumberOfExecutedThings"] = AbortMinExecuted,
            },
        },
    };

    /// <summary>The pre-signed URL configuration (PresignedUrlConfig).</summary>
    public static Dictionary<string, object> PresignedUrl(string roleArn) => new()
    {
        ["RoleArn"] = roleArn,
        ["ExpiresInSec"] = PresignedUrlSeconds,
    };

    /// <summary>The in-progress timeout (TimeoutConfig).</summary>
    public static Dictionary<string, object> Timeout(int minutes) => new() { ["InProgressTimeoutInMinutes"] = minutes };
}

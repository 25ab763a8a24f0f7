using ShelfAgent.Config.Runtime;

namespace ShelfAgent.IotCore.Jobs.Operations;

/// <summary>
/// A config-update's outcome from the applier's per-key result (pure): every key accepted → SUCCEEDED listing them and
/// the new configuration hash; any refused → FAILED with each refused key and the reason agent.json would get (the
/// accepted ones are in effect all the same: the applier judges each key on its own, as the shadow does).
/// </summary>
public static class ConfigUpdateOutcome
{
    /// <summary>The outcome for <paramref name="result"/>.</summary>
    public static JobOutcome From(ConfigApplyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var accepted = result.Keys.Where(k => k.Accepted).Select(k => k.Key).ToList();
        var applied = new KeyValuePair<string, string>("applied", accepted.Count == 0 ? "none" : string.Join(", ", accepted));
        var hash = new KeyValuePair<string, string>("configHash", result.ConfigHash);
        if (result.AllAccepted)
        {
            return JobOutcome.Succeeded(applied, hash);
        }

        var refused = result.Refused.ToList();
        // Refused keys first (they are what the operator must fix), then what did apply.
        return JobOutcome.Failed(
            $"{refused.Count} of {result.Keys.Count} keys refused",
            [.. refused.Select(k => new KeyValuePair<string, string>(k.Key, k.Reason ?? "refused")), applied, hash]);
    }
}

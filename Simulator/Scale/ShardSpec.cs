using System.Globalization;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// Which part of one fleet this process runs (<c>--shard i/n</c>): device k of the fleet (stores × devices, in order)
/// belongs to shard k mod n, so n machines run disjoint parts of the same fleet, each device exactly once.
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>The whole fleet in one process.</summary>
    public static ShardSpec Whole { get; } = new(0, 1);

    /// <summary>True when device number <paramref name="fleetIndex"/> (0-based over the whole fleet) runs here.</summary>
    public bool Contains(int fleetIndex) => fleetIndex % Count == Index;

    /// <summary>
    /// Parses <c>i/n</c> (0 ≤ i &lt; n); with <paramref name="indexFromEnvironment"/> (a Kubernetes Indexed Job's
    /// <c>JOB_COMPLETION_INDEX</c>) the index is that number and <paramref name="text"/> may say <c>*/n</c> or just <c>n</c>.
    /// Returns null and a reason when it cannot.
    /// </summary>
    public static ShardSpec? Parse(string? text, string? indexFromEnvironment, Func<string, string?> environment, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(environment);
        problem = null;
        if (string.IsNullOrWhiteSpace(text) && indexFromEnvironment is null)
        {
            return Whole;
        }

        var parts = (text ?? "").Split('/', 2, StringSplitOptions.TrimEntries);
        var countText = parts.Length == 2 ? parts[1] : parts[0];
        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            problem = $"--shard wants i/n with n ≥ 1 (e.g. 2/4), got '{text}'";
            return null;
        }

        string indexText;
        if (indexFromEnvironment is not null)
        {
            indexText = environment(indexFromEnvironment) ?? "";
            if (indexText.Length == 0)
            {
                problem = $"--shard-index-from-env {indexFromEnvironment}: the variable is not set";
                return null;
            }
        }
        else if (parts.Length == 2)
        {
            indexText = parts[0];
        }
        else
        {
            problem = $"--shard wants i/n (e.g. 2/4), got '{text}'";
            return null;
        }

        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= count)
        {
            problem = $"shard index '{indexText}' must be 0..{count - 1}";
            return null;
        }

        return new ShardSpec(index, count);
    }

    public override string ToString() => $"{Index}/{Count}";
}

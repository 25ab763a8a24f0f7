using ShelfAgent.Validation;

namespace ShelfAgent.Config.Runtime;

/// <summary>
/// Decides which changed keys to accept, judging them with the loader's own rules (passed in as
/// <c>validate</c>: agent.json read with the candidate overlay), so no second set of rules exists. Pure given
/// <c>validate</c>. A problem on a changed key refuses that key with the loader's message; a problem elsewhere
/// (e.g. <c>Slots:0:LowStockAt</c> "must not exceed Capacity" after a Capacity change) refuses the changed keys of the
/// same slot or section, or failing that all of them. The rest is judged again until what remains is valid.
/// </summary>
public static class ConfigJudge
{
    /// <summary>Judges <paramref name="entries"/> on top of <paramref name="current"/>.</summary>
    /// <param name="current">The flat overlay in effect (flat key → value).</param>
    /// <param name="entries">The changes; a null value removes the key from the overlay.</param>
    /// <param name="environmentKeys">Keys set by environment variables on the device: they would shadow any change.</param>
    /// <param name="validate">The loader: problems of agent.json with a given overlay.</param>
    public static ConfigJudgement Judge(
        IReadOnlyDictionary<string, string> current,
        IReadOnlyList<ConfigPatchEntry> entries,
        IReadOnlyDictionary<string, string> environmentKeys,
        Func<IReadOnlyDictionary<string, string>, IReadOnlyList<ConfigProblem>> validate)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(environmentKeys);
        ArgumentNullException.ThrowIfNull(validate);
        var refused = new List<ConfigKeyResult>();
        var pending = new List<ConfigPatchEntry>();
        foreach (var entry in entries)
        {
            // The same key twice in one change: the last one counts, as in a JSON object.
            pending.RemoveAll(e => Same(e.FlatKey, entry.FlatKey));
            if (environmentKeys.TryGetValue(entry.FlatKey, out var variable))
            {
                refused.Add(new ConfigKeyResult(
                    entry.Key, false, $"set on the device by environment variable {variable}, which wins over remote changes; remove it there first"));
            }
            else
            {
                pending.Add(entry);
            }
        }

        while (pending.Count > 0)
        {
            var candidate = Apply(current, pending);
            var problems = validate(candidate);
            if (problems.Count == 0)
            {
                return new ConfigJudgement(pending, refused, candidate);
            }

            var blamed = new List<(ConfigPatchEntry Entry, string Reason)>();
            // A changed key's own problem first, so it is refused with its own reason rather than as a side effect.
            foreach (var problem in problems.OrderBy(p => pending.Any(e => Same(e.FlatKey, p.Key)) ? 0 : 1))
            {
                var own = pending.Where(e => Same(e.FlatKey, problem.Key)).ToList();
                if (own.Count == 0)
                {
                    var section = problem.Key[..(problem.Key.LastIndexOf(':') + 1)];
                    own = pending.Where(e => section.Length > 0 && e.FlatKey.StartsWith(section, StringComparison.OrdinalIgnoreCase)).ToList();
                }

                if (own.Count == 0)
                {
                    own = pending;
                }

                foreach (var entry in own.Where(e => blamed.All(b => b.Entry != e)))
                {
                    var reason = Same(entry.FlatKey, problem.Key) ? problem.Message : $"would make {Display(problem.Key, entries)} invalid: {problem.Message}";
                    blamed.Add((entry, reason));
                }
            }

            foreach (var (entry, reason) in blamed)
            {
                pending.Remove(entry);
                refused.Add(new ConfigKeyResult(entry.Key, false, reason));
            }
        }

        return new ConfigJudgement([], refused, new Dictionary<string, string>(current, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The overlay with <paramref name="entries"/> applied (a null value removes the key).</summary>
    public static Dictionary<string, string> Apply(IReadOnlyDictionary<string, string> current, IEnumerable<ConfigPatchEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(entries);
        var result = new Dictionary<string, string>(current, StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries)
        {
            if (e.Value is null)
            {
                result.Remove(e.FlatKey);
            }
            else
            {
                result[e.FlatKey] = e.Value;
            }
        }

        return result;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    // A problem names the flat key (Slots:0:LowStockAt); say it as the change did (Slots:A1:LowStockAt) when it can.
    private static string Display(string flatKey, IReadOnlyList<ConfigPatchEntry> entries)
    {
        var cut = flatKey.LastIndexOf(':');
        var section = cut < 0 ? "" : flatKey[..(cut + 1)];
        var sibling = entries.FirstOrDefault(e => section.Length > 0
            && e.FlatKey.StartsWith(section, StringComparison.OrdinalIgnoreCase)
            && e.FlatKey.IndexOf(':', section.Length) < 0);
        return sibling is null ? flatKey : sibling.Key[..(sibling.Key.LastIndexOf(':') + 1)] + flatKey[(cut + 1)..];
    }
}

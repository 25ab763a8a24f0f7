using System.Globalization;
using System.Text;

namespace ShelfAgent.Update;

/// <summary>
/// <c>update.state</c>: one <c>key=value</c> per line, so the rollback guard (release/rollback.sh, a shell script run
/// when the new binary cannot start at all) reads and rewrites it too. Plain data and its codec; pure.
/// </summary>
/// <param name="JobId">The agent-update job this belongs to.</param>
/// <param name="From">The release running when the job started (the one to go back to).</param>
/// <param name="To">The release the job installs.</param>
/// <param name="Phase">How far it got.</param>
/// <param name="Reason">Why it rolled back (FAILED's reason), when it did.</param>
/// <param name="TrialSince">When the new version first started on trial (its health window counts from there).</param>
/// <param name="Starts">How many times the new version started on trial (a crash loop rolls back).</param>
public sealed record UpdateRecord(
    string JobId, string From, string To, UpdatePhase Phase, string? Reason = null, DateTimeOffset? TrialSince = null, int Starts = 0)
{
    /// <summary>The phase's word in the file (rollback.sh matches <c>switched</c> and writes <c>rolled-back</c>).</summary>
    public static string Word(UpdatePhase phase) => phase switch
    {
        UpdatePhase.Fetching => "fetching",
        UpdatePhase.Unpacked => "unpacked",
        UpdatePhase.Switched => "switched",
        UpdatePhase.Committed => "committed",
        _ => "rolled-back",
    };

    /// <summary>The file's text.</summary>
    public string Encode()
    {
        var text = new StringBuilder()
            .Append("job=").Append(JobId).Append('\n')
            .Append("from=").Append(From).Append('\n')
            .Append("to=").Append(To).Append('\n')
            .Append("phase=").Append(Word(Phase)).Append('\n')
            .Append("starts=").Append(Starts.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (TrialSince is { } since)
        {
            text.Append("since=").Append(since.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)).Append('\n');
        }

        if (Reason is { } reason)
        {
            // One line: the reason is a job status value, never multi-line.
            text.Append("reason=").Append(reason.ReplaceLineEndings(" ")).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads the file's text; null with a problem when it is not a whole record.</summary>
    public static UpdateRecord? Decode(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                values.TryAdd(line[..eq], line[(eq + 1)..]);
            }
        }

        UpdatePhase? phase = values.GetValueOrDefault("phase") switch
        {
            "fetching" => UpdatePhase.Fetching,
            "unpacked" => UpdatePhase.Unpacked,
            "switched" => UpdatePhase.Switched,
            "committed" => UpdatePhase.Committed,
            "rolled-back" => UpdatePhase.RolledBack,
            _ => null,
        };
        if (phase is not { } p || values.GetValueOrDefault("job") is not { Length: > 0 } job
            || values.GetValueOrDefault("from") is not { Length: > 0 } from || values.GetValueOrDefault("to") is not { Length: > 0 } to)
        {
            problem = "update.state lacks job, from, to or a known phase";
            return null;
        }

        problem = null;
        DateTimeOffset? since = DateTimeOffset.TryParse(
            values.GetValueOrDefault("since"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s) ? s : null;
        var starts = int.TryParse(values.GetValueOrDefault("starts"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        return new UpdateRecord(job, from, to, p, values.GetValueOrDefault("reason"), since, starts);
    }
}

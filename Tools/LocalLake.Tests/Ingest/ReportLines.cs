using System.Globalization;
using System.Text.RegularExpressions;

namespace ShelfAgent.LocalLake.Tests.Ingest;

/// <summary>
/// The lines a listen reports, and a wait for one that matches: a signal from <see cref="Add"/>, not a poll, so a test
/// goes on as soon as listen says what it did.
/// </summary>
internal sealed partial class ReportLines
{
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Seen)> _waiters = [];
    private readonly Lock _gate = new();

    /// <summary>Every line so far, one a line (for a failure message).</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Events rows written so far, summed over the "listen: wrote …" lines.</summary>
    public long EventRowsWritten
    {
        get
        {
            lock (_gate)
            {
                return _lines.Where(l => l.StartsWith("listen: wrote", StringComparison.Ordinal))
                    .Sum(l => EventRows().Match(l) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
            }
        }
    }

    public void Add(string line)
    {
        lock (_gate)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Seen.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Completes once a line (one already reported, or the next) matches <paramref name="match"/>; fails the test after
    /// <paramref name="bound"/> with <paramref name="what"/> and the lines so far.
    /// </summary>
    public async Task UntilAsync(Func<string, bool> match, TimeSpan bound, string what, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.Any(match))
            {
                return;
            }

            _waiters.Add((match, seen));
        }

        try
        {
            await seen.Task.WaitAsync(bound, cancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"not within {bound.TotalSeconds} s: {what}; listen said:\n{Text}");
        }
    }

    [GeneratedRegex(@"(\d+) events rows")]
    private static partial Regex EventRows();
}

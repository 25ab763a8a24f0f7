namespace ShelfAgent.Outbox;

/// <summary>
/// Counts what a full disk costs (readings evicted, readings not stored, commits failed) and says when to log them:
/// the first time, then at most once per <c>every</c>, so a full disk gives one line a minute with counts instead of
/// one stack trace per commit. Pure: the caller passes a monotonic timestamp (<see cref="TimeProvider.GetTimestamp"/>).
/// </summary>
internal sealed class DiskFullTally
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _every;
    private long _lastLog;
    private bool _logged;

    public DiskFullTally(TimeProvider time, TimeSpan every)
    {
        _time = time;
        _every = every;
    }

    /// <summary>Readings evicted since the last line.</summary>
    public long Evicted { get; private set; }

    /// <summary>Readings refused (not stored) since the last line.</summary>
    public long Unsaved { get; private set; }

    /// <summary>Commits that failed since the last line.</summary>
    public long Failed { get; private set; }

    /// <summary>Adds counts; returns true when a line is due (the counts are then read and <see cref="Reset"/> called).</summary>
    public bool Add(long evicted, long unsaved, long failed)
    {
        Evicted += evicted;
        Unsaved += unsaved;
        Failed += failed;
        return !_logged || _time.GetElapsedTime(_lastLog) >= _every;
    }

    /// <summary>Seconds the current counts cover (since the last line), for the log message.</summary>
    public long Seconds => _logged ? (long)_time.GetElapsedTime(_lastLog).TotalSeconds : 0;

    /// <summary>Starts a new interval after a line was written.</summary>
    public void Reset()
    {
        (Evicted, Unsaved, Failed) = (0, 0, 0);
        _lastLog = _time.GetTimestamp();
        _logged = true;
    }

    /// <summary>True when counts are waiting to be logged.</summary>
    public bool HasCounts => Evicted + Unsaved + Failed > 0;

    /// <summary>Forgets the interval, so the next full disk is logged at once.</summary>
    public void End()
    {
        (Evicted, Unsaved, Failed) = (0, 0, 0);
        _logged = false;
    }
}

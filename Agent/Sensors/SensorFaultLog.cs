namespace ShelfAgent.Sensors;

/// <summary>
/// Decides which of one sensor's faults earn a log line, so a flaky sensor cannot fill the log (the demo's B3,
/// failing one read in seven, was a quarter of it) and a dead one does not write a line per retry. The first fault
/// is logged; later ones are counted and summed up once per window (a minute, doubling while the sensor never reads,
/// up to an hour); when a whole minute passes without a fault the sensor is logged as recovered and the next fault is
/// a first one again. Pure: times come in, decisions go out. The readings themselves are marked as faults as before.
/// </summary>
public sealed class SensorFaultLog
{
    private readonly TimeSpan _first;
    private readonly TimeSpan _max;
    private DateTimeOffset? _windowStart; // null: no fault since the sensor last recovered
    private TimeSpan _window;
    private int _faults;
    private int _good;
    private long _total;
    private DateTimeOffset _firstAt;
    private string? _last;
    private bool _failing;

    /// <summary>A minute, doubling up to an hour.</summary>
    public SensorFaultLog()
        : this(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1))
    {
    }

    /// <summary>Windows of <paramref name="window"/>, doubling up to <paramref name="maxWindow"/> while the sensor never reads.</summary>
    public SensorFaultLog(TimeSpan window, TimeSpan maxWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        (_first, _max, _window) = (window, maxWindow < window ? window : maxWindow, window);
    }

    /// <summary>The first summing-up window (also how long without a fault counts as recovered).</summary>
    public TimeSpan Window => _first;

    /// <summary>A failed read; returns the line to log, if any.</summary>
    public SensorFaultEntry? Fault(DateTimeOffset now, string reason, int inARow)
    {
        _last = reason;
        _failing = true;
        if (_windowStart is null)
        {
            (_windowStart, _window, _faults, _good, _total, _firstAt) = (now, _first, 0, 0, 1, now);
            return new SensorFaultEntry(SensorFaultEntryKind.First, 1, 0, TimeSpan.Zero, reason, inARow, 1, TimeSpan.Zero);
        }

        _faults++;
        _total++;
        return Due(now) ? Summary(now, inARow) : null;
    }

    /// <summary>A good read; returns the line to log, if any.</summary>
    public SensorFaultEntry? Good(DateTimeOffset now)
    {
        if (_windowStart is not { } start)
        {
            return null;
        }

        if (_failing)
        {
            // Reading again after a run of faults: a window stretched by a dead sensor ends now, so the comeback shows.
            _failing = false;
            _window = _first;
        }

        _good++;
        if (!Due(now))
        {
            return null;
        }

        if (_faults > 0)
        {
            return Summary(now, 0);
        }

        _windowStart = null;
        return new SensorFaultEntry(SensorFaultEntryKind.Recovered, 0, _good, now - start, _last, 0, _total, now - _firstAt);
    }

    /// <summary>At the end (the agent stops): the faults not yet logged, if any.</summary>
    public SensorFaultEntry? Flush(DateTimeOffset now) => _windowStart is not null && _faults > 0 ? Summary(now, _failing ? -1 : 0) : null;

    private bool Due(DateTimeOffset now) => now - _windowStart!.Value >= _window;

    private SensorFaultEntry Summary(DateTimeOffset now, int inARow)
    {
        var entry = new SensorFaultEntry(SensorFaultEntryKind.Summary, _faults, _good, now - _windowStart!.Value, _last, inARow, _total, now - _firstAt);
        // A window without a single good read means a dead sensor: say so less and less often.
        _window = _good == 0 ? TimeSpan.FromTicks(Math.Min(_max.Ticks, _window.Ticks * 2)) : _first;
        (_windowStart, _faults, _good) = (now, 0, 0);
        return entry;
    }
}

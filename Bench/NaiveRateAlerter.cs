using ShelfAgent.Stock;

namespace ShelfAgent.Bench;

/// <summary>
/// The naive baseline of <c>shelf-bench forecast</c>: ETA = settled count ÷ picks in the last hour; alert once per
/// episode when the ETA is within the horizon, episode over at a restock or when the ETA grows past twice the horizon.
/// </summary>
internal sealed class NaiveRateAlerter(TimeSpan horizon)
{
    private readonly Queue<(DateTimeOffset At, int Items)> _picks = new();
    private int _inWindow;
    private int? _count;
    private bool _active;

    public List<DateTimeOffset> Alerts { get; } = [];

    public void Observe(StockEvent e)
    {
        _count = e.Count;
        if (e.Type == StockEventType.Pick)
        {
            _picks.Enqueue((e.Timestamp, -e.Delta));
            _inWindow += -e.Delta;
        }
        else
        {
            _active = false;
        }

        Tick(e.Timestamp);
    }

    public void Tick(DateTimeOffset now)
    {
        while (_picks.Count > 0 && _picks.Peek().At <= now - TimeSpan.FromHours(1))
        {
            _inWindow -= _picks.Dequeue().Items;
        }

        if (_count is not { } count || count <= 0)
        {
            return;
        }

        var eta = _inWindow > 0 ? TimeSpan.FromHours(count / (double)_inWindow) : TimeSpan.MaxValue;
        if (!_active && eta <= horizon)
        {
            _active = true;
            Alerts.Add(now);
        }
        else if (_active && eta > horizon * 2)
        {
            _active = false;
        }
    }
}

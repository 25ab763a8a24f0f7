
namespace ShelfAgent.Stock;

/// <summary>
/// Turns one slot's stream of readings into picks, restocks and alerts. A count only counts once it has
/// settled — the same for <see cref="SettleSamples"/> readings in a row — so a hand resting on the shelf
/// or a bottle wobbling on the load cell is not a pick. Pure: readings in, events out.
/// </summary>
public sealed class SlotEventDetector(SlotOptions slot, int settleSamples = 3, int faultAlertAfter = 5)
{
    private int? _settled;
    private int? _candidate;
    private int _candidateRuns;
    private int _faultRun;
    private bool _faultAlerted;
    private StockStatus? _settledStatus;

    /// <summary>Readings in a row with the same count before it is believed.</summary>
    public int SettleSamples => settleSamples;

    /// <summary>The last settled count, if any.</summary>
    public int? SettledCount => _settled;

    /// <summary>Feeds one reading; returns what it revealed (usually nothing).</summary>
    public (IReadOnlyList<StockEvent> Events, IReadOnlyList<StockAlert> Alerts) Observe(Reading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        List<StockEvent>? events = null;
        List<StockAlert>? alerts = null;
        if (reading.Status == StockStatus.Fault || reading.Count is null)
        {
            _faultRun++;
            _candidate = null;
            _candidateRuns = 0;
            if (_faultRun == faultAlertAfter && !_faultAlerted)
            {
                _faultAlerted = true;
                (alerts ??= []).Add(new StockAlert(reading.Timestamp, slot.Id, slot.Sku, StockAlertType.Fault, null, reading.Reason));
            }

            return (events ?? [], alerts ?? []);
        }

        _faultRun = 0;
        if (_faultAlerted)
        {
            _faultAlerted = false;
            (alerts ??= []).Add(new StockAlert(reading.Timestamp, slot.Id, slot.Sku, StockAlertType.Recovered, reading.Count));
        }

        var count = reading.Count.Value;
        if (count == _candidate)
        {
            _candidateRuns++;
        }
        else
        {
            _candidate = count;
            _candidateRuns = 1;
        }

        if (_candidateRuns < settleSamples || count == _settled)
        {
            return (events ?? [], alerts ?? []);
        }

        // A new settled count.
        if (_settled is { } previous)
        {
            var delta = count - previous;
            (events ??= []).Add(new StockEvent(reading.Timestamp, slot.Id, slot.Sku, delta < 0 ? StockEventType.Pick : StockEventType.Restock, delta, count));
        }

        _settled = count;
        var status = StockCalculator.Status(count, slot);
        if (status != _settledStatus && _settledStatus is not null)
        {
            // Alert on the way down only: empty always, low when arriving from ok.
            if (status == StockStatus.Empty)
            {
                (alerts ??= []).Add(new StockAlert(reading.Timestamp, slot.Id, slot.Sku, StockAlertType.Empty, count));
            }
            else if (status == StockStatus.Low && _settledStatus == StockStatus.Ok)
            {
                (alerts ??= []).Add(new StockAlert(reading.Timestamp, slot.Id, slot.Sku, StockAlertType.Low, count));
            }
        }
        else if (_settledStatus is null && status is StockStatus.Empty or StockStatus.Low)
        {
            // At start-up the shelf may already need attention.
            (alerts ??= []).Add(new StockAlert(
                reading.Timestamp, slot.Id, slot.Sku, status == StockStatus.Empty ? StockAlertType.Empty : StockAlertType.Low, count));
        }

        _settledStatus = status;
        return (events ?? [], alerts ?? []);
    }
}

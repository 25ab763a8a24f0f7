using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Stock;

public sealed class SlotEventDetectorTests
{
    private static readonly SlotOptions Cola = new() { Id = "A1", Sku = "COLA-355", UnitGrams = 368, TareGrams = 150, Capacity = 24, LowStockAt = 4 };
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static Reading At(int second, int? count, string? fault = null)
        => count is { } c
            ? new Reading(T0.AddSeconds(second), "A1", "COLA-355", 150 + (c * 368.0), c, StockCalculator.Status(c, Cola))
            : new Reading(T0.AddSeconds(second), "A1", "COLA-355", null, null, StockStatus.Fault, fault);

    private static (List<StockEvent> Events, List<StockAlert> Alerts) Feed(SlotEventDetector d, params int?[] counts)
    {
        var events = new List<StockEvent>();
        var alerts = new List<StockAlert>();
        for (var i = 0; i < counts.Length; i++)
        {
            var (e, a) = d.Observe(At(i, counts[i], "timeout: not ready"));
            events.AddRange(e);
            alerts.AddRange(a);
        }

        return (events, alerts);
    }

    [Fact]
    public void Reports_a_pick_of_two_when_the_count_settles_two_lower()
    {
        var (events, _) = Feed(new SlotEventDetector(Cola), 12, 12, 12, 10, 10, 10);

        var pick = Assert.Single(events);
        Assert.Equal((StockEventType.Pick, -2, 10), (pick.Type, pick.Delta, pick.Count));
    }

    [Fact]
    public void Ignores_a_hand_on_the_shelf_when_the_count_does_not_settle()
    {
        var (events, _) = Feed(new SlotEventDetector(Cola), 12, 12, 12, 15, 9, 12, 12, 12);

        Assert.Empty(events);
    }

    [Fact]
    public void Reports_a_restock_and_no_alert_when_the_slot_is_refilled()
    {
        var (events, alerts) = Feed(new SlotEventDetector(Cola), 6, 6, 6, 24, 24, 24);

        Assert.Equal((StockEventType.Restock, 18), (Assert.Single(events).Type, events[0].Delta));
        Assert.Empty(alerts);
    }

    [Fact]
    public void Alerts_low_then_empty_once_each_as_the_slot_runs_out()
    {
        var (_, alerts) = Feed(new SlotEventDetector(Cola), 6, 6, 6, 4, 4, 4, 3, 3, 3, 0, 0, 0, 0, 0);

        Assert.Equal(new[] { StockAlertType.Low, StockAlertType.Empty }, alerts.Select(a => a.Type));
        Assert.Equal(0, alerts[1].Count);
    }

    [Fact]
    public void Alerts_a_fault_after_five_failed_readings_and_recovery_when_it_reads_again()
    {
        var (_, alerts) = Feed(new SlotEventDetector(Cola), 12, 12, 12, null, null, null, null, null, null, 12);

        Assert.Equal(new[] { StockAlertType.Fault, StockAlertType.Recovered }, alerts.Select(a => a.Type));
        Assert.Equal("timeout: not ready", alerts[0].Reason);
    }

    [Fact]
    public void Alerts_at_start_when_the_slot_is_already_empty()
    {
        var (events, alerts) = Feed(new SlotEventDetector(Cola), 0, 0, 0);

        Assert.Empty(events);
        Assert.Equal(StockAlertType.Empty, Assert.Single(alerts).Type);
    }
}

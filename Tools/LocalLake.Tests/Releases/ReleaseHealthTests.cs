using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Tests.Releases;

/// <summary>The Cloud's release-health SQL, text unchanged, on DuckDB over a hand-made curated lake.</summary>
public sealed class ReleaseHealthTests
{
    [Fact]
    public void Release_health_counts_caught_missed_and_strict_false_alarms_per_store_and_release()
    {
        using var lake = new TestLake();
        lake.Store.Execute("""
            INSERT INTO curated_forecasts (thing, store, slot, ts, profile, dt) VALUES
              ('t-1', 's-1', 'A1', TIMESTAMP '2026-10-05 08:00:00', 'device',    '2026-10-05'),
              ('t-1', 's-1', 'A1', TIMESTAMP '2026-10-05 09:00:00', 'cloud:r-2', '2026-10-05'),
              ('t-1', 's-1', 'A1', TIMESTAMP '2026-10-06 09:00:00', 'cloud:r-2', '2026-10-06'),
              ('t-2', 's-2', 'B1', TIMESTAMP '2026-10-05 09:00:00', 'cloud:r-1', '2026-10-05'),
              ('t-1', 's-1', 'A1', TIMESTAMP '2026-10-04 09:00:00', 'cloud:r-2', '2026-10-04');
            INSERT INTO curated_events (schema, thing, store, slot, type, ts, horizonMinutes, dt) VALUES
              -- caught: warned 60 min ahead, within its 60 + 10 minutes
              ('shelf.alert.v1', 't-1', 's-1', 'A1', 'predicted-empty', TIMESTAMP '2026-10-05 11:00:00', 60,   '2026-10-05'),
              ('shelf.alert.v1', 't-1', 's-1', 'A1', 'empty',           TIMESTAMP '2026-10-05 12:00:00', NULL, '2026-10-05'),
              -- a false alarm: no stock-out within 70 minutes (a restock never confirms one)
              ('shelf.alert.v1', 't-1', 's-1', 'A1', 'predicted-empty', TIMESTAMP '2026-10-05 15:00:00', 60,   '2026-10-05'),
              ('shelf.event.v1', 't-1', 's-1', 'A1', 'restock',         TIMESTAMP '2026-10-05 15:30:00', NULL, '2026-10-05'),
              -- missed: warned only 15 minutes ahead (the alert itself is confirmed)
              ('shelf.alert.v1', 't-1', 's-1', 'A1', 'predicted-empty', TIMESTAMP '2026-10-06 08:45:00', 60,   '2026-10-06'),
              ('shelf.alert.v1', 't-1', 's-1', 'A1', 'empty',           TIMESTAMP '2026-10-06 09:00:00', NULL, '2026-10-06'),
              -- before the first day: not counted
              ('shelf.alert.v1', 't-1', 's-1', 'A1', 'empty',           TIMESTAMP '2026-10-04 12:00:00', NULL, '2026-10-04');
            """);

        var rows = ReleaseHealth.Rows(lake.Store, new DateOnly(2026, 10, 5));

        Assert.Equal(
            [
                new ReleaseHealthRow("s-1", "cloud:r-2", SlotDays: 2, StockOuts: 2, Caught: 1, Alerts: 3, FalseAlarms: 1),
                new ReleaseHealthRow("s-2", "cloud:r-1", SlotDays: 1, StockOuts: 0, Caught: 0, Alerts: 0, FalseAlarms: 0),
            ],
            rows);
        Assert.Equal(new Dictionary<string, string> { ["t-1"] = "s-1", ["t-2"] = "s-2" }, ReleaseHealth.StoresOfThings(lake.Store));
    }
}

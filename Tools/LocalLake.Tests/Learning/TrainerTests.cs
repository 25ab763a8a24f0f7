using ShelfAgent.Cloud.Learning;
using ShelfAgent.LocalLake.Learning;

namespace ShelfAgent.LocalLake.Tests.Learning;

/// <summary>
/// The Cloud's training SELECT on the local lake, on a small hand-made lake: which source each slot uses, that the shelf
/// rate is per in-stock hour, that a new slot's profile is its store's sales of the SKU, each hour pooled with that hour on the other days.
/// </summary>
public sealed class TrainerTests
{
    private static readonly DateOnly End = new(2026, 10, 19); // a Monday

    [Fact]
    public void Athena_unload_wraps_the_very_select_the_local_lake_runs()
    {
        // The one SQL text: Athena's UNLOAD only adds the JSON wrapping around the SELECT DuckDB runs (docs/models.md).
        foreach (var withSales in new[] { true, false })
        {
            Assert.Contains(TrainingQuery.Select("current_date", withSales), TrainingQuery.AthenaUnload("s3://b/p/", withSales), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_slot_says_its_source_shelf_sales_or_blend()
    {
        using var lake = Lake();
        var trained = Trainer.Train(lake.Store, End, DateTimeOffset.UnixEpoch).ToDictionary(t => t.Profile.Thing!);
        Assert.Equal("blend", trained["old-1"].Source);  // 2 weeks on the shelf, and the store sells the SKU
        Assert.Equal("sales", trained["new-1"].Source);  // 6 hours on the shelf: under a day, the sales alone
        Assert.Equal("shelf", trained["old-2"].Source);  // no sales of the SKU in its store
        Assert.Equal(6, trained["new-1"].Profile.Weeks); // the sales' 6 weeks
        Assert.Equal(2, trained["old-2"].Profile.Weeks); // 2 weeks in stock
    }

    [Fact]
    public void A_new_slot_takes_its_stores_sales_of_the_sku_per_hour_of_week()
    {
        using var lake = Lake();
        var profile = Trainer.Train(lake.Store, End, DateTimeOffset.UnixEpoch).Single(t => t.Profile.Thing == "new-1").Profile;
        // 3 units sold every day at 15:xx for 6 weeks: 3 per hour of week at (day, 15), nothing else.
        for (var h = 0; h < 168; h++)
        {
            Assert.Equal(h % 24 == 15 ? 3.0 : 0.0, profile.PicksPerHour[h], 3);
        }
    }

    [Fact]
    public void Sales_prior_pools_each_hour_of_week_with_that_hour_on_the_other_days()
    {
        using var lake = new TestLake();
        Readings(lake.Store, "store-a", "new-2", "B2", "SKU-W", "TIMESTAMP '2026-10-18 18:00:00'", "10");
        Sales(lake.Store, "store-a", "SKU-W", "interval '15' hour + interval '5' minute", 3, everyDays: 7); // Mondays only
        var profile = Trainer.Train(lake.Store, End, DateTimeOffset.UnixEpoch).Single(t => t.Profile.Thing == "new-2").Profile;

        // 6 weeks × 3 units on Mondays at 15:xx: 18 units, a day mean of 18 / (7 × 6) per hour of week at 15:xx; the
        // Monday hour keeps its 6 weeks against SalesDayShapeWeeks of the day mean, and the week's total stays 3.
        const double dayMean = 18.0 / (7 * 6);
        const double m = TrainingQuery.SalesDayShapeWeeks;
        Assert.Equal((18 + (m * dayMean)) / (6 + m), profile.PicksPerHour[15], 3);
        for (var day = 1; day < 7; day++)
        {
            Assert.Equal(m * dayMean / (6 + m), profile.PicksPerHour[(day * 24) + 15], 3);
        }

        Assert.Equal(3.0, profile.PicksPerHour.Sum(), 2);
        Assert.All(profile.PicksPerHour.Where((_, h) => h % 24 != 15), r => Assert.Equal(0, r));
    }

    [Fact]
    public void Shelf_rate_is_per_in_stock_hour()
    {
        using var lake = Lake();
        var profile = Trainer.Train(lake.Store, End, DateTimeOffset.UnixEpoch).Single(t => t.Profile.Thing == "old-2").Profile;
        // Same picks at 12:xx and 14:xx every day, but the slot was empty half of each 12:00 hour: more demand per hour in stock.
        for (var day = 0; day < 7; day++)
        {
            Assert.True(profile.PicksPerHour[(day * 24) + 12] > profile.PicksPerHour[(day * 24) + 14] * 1.2,
                $"day {day}: {profile.PicksPerHour[(day * 24) + 12]} vs {profile.PicksPerHour[(day * 24) + 14]}");
        }
    }

    private static TestLake Lake()
    {
        var lake = new TestLake();
        var s = lake.Store;
        Readings(s, "store-a", "old-1", "A1", "SKU-X", "TIMESTAMP '2026-10-05 00:00:00'", "10");
        Readings(s, "store-a", "new-1", "B1", "SKU-Y", "TIMESTAMP '2026-10-18 18:00:00'", "10");
        Readings(s, "store-b", "old-2", "C1", "SKU-Z", "TIMESTAMP '2026-10-05 00:00:00'", "CASE WHEN hour(ts) = 12 AND minute(ts) < 30 THEN 0 ELSE 10 END");
        Picks(s, "store-a", "old-1", "A1", "SKU-X", "interval '10' hour", 2);
        Picks(s, "store-b", "old-2", "C1", "SKU-Z", "interval '12' hour + interval '40' minute", 1);
        Picks(s, "store-b", "old-2", "C1", "SKU-Z", "interval '14' hour + interval '40' minute", 1);
        Sales(s, "store-a", "SKU-X", "interval '10' hour + interval '5' minute", 2);
        Sales(s, "store-a", "SKU-Y", "interval '15' hour + interval '5' minute", 3);
        return lake;
    }

    private static void Readings(ShelfAgent.LocalLake.Lake.LocalLakeStore s, string store, string thing, string slot, string sku, string from, string count) =>
        s.Execute($"""
            INSERT INTO curated_readings
            SELECT 'shelf.telemetry.v1', '{thing}', '{store}', ts, ts, NULL, row_number() OVER (ORDER BY ts), ts, '{slot}', '{sku}', 100.0,
                   {count}, CASE WHEN {count} = 0 THEN 'empty' ELSE 'ok' END, NULL, false, strftime(ts, '%Y-%m-%d')
            FROM (SELECT unnest(generate_series({from}, TIMESTAMP '2026-10-18 23:59:00', interval '30' minute)) AS ts) AS g
            """);

    private static void Picks(ShelfAgent.LocalLake.Lake.LocalLakeStore s, string store, string thing, string slot, string sku, string at, int items) =>
        s.Execute($"""
            INSERT INTO curated_events (schema, thing, store, ts, slot, sku, type, delta, "count", received, dt)
            SELECT 'shelf.event.v1', '{thing}', '{store}', d + {at}, '{slot}', '{sku}', 'pick', -{items}, 5, d + {at}, strftime(d + {at}, '%Y-%m-%d')
            FROM (SELECT unnest(generate_series(TIMESTAMP '2026-10-05 00:00:00', TIMESTAMP '2026-10-18 00:00:00', interval '1' day)) AS d) AS g
            """);

    private static void Sales(ShelfAgent.LocalLake.Lake.LocalLakeStore s, string store, string sku, string at, int units, int everyDays = 1) =>
        s.Execute($"""
            INSERT INTO curated_sales
            SELECT d + {at}, row_number() OVER (ORDER BY d), '{store}', '{sku}', {units}, 1.5, d + {at}
            FROM (SELECT unnest(generate_series(TIMESTAMP '2026-09-07 00:00:00', TIMESTAMP '2026-10-18 00:00:00', interval '{everyDays}' day)) AS d) AS g
            """);
}

using ShelfAgent.Stock.Forecasting;
using static ShelfAgent.Tests.Stock.Forecasting.ForecastTraces;

namespace ShelfAgent.Tests.Stock.Forecasting;

/// <summary>
/// The store-wide level shared by a device's slots, on hand-built traces: six slots whose shape expects 4 picks an
/// hour, exposure booked every minute, an ordinary six-hour morning first (a pick every 15 minutes on every slot, as a
/// device that has been running has seen), then the picks each test scripts.
/// </summary>
public sealed class StoreLevelTests
{
    private static readonly TimeSpan Morning = TimeSpan.FromHours(6);

    [Fact]
    public void A_lift_of_the_whole_store_raises_every_slot_within_the_hour()
    {
        var shelf = Shelf.Of(6);
        // Three times the shape on every slot: a pick every 5 minutes instead of every 15.
        shelf.Run(TimeSpan.FromHours(1), (slot, minute) => minute % 5 == 4 ? 1 : 0);

        // The store's three-hour window is still on its way up (1.6 here); the slots' own lift carries the rest.
        Assert.InRange(shelf.Store!.Level, 1.4, 3.2);
        Assert.All(shelf.Slots, s => Assert.InRange(s.Level, 2.0, 3.2));
    }

    [Fact]
    public void A_burst_on_one_slot_leaves_the_others_alone_and_is_damped_against_a_slot_on_its_own()
    {
        var shelf = Shelf.Of(6);
        var alone = Shelf.Of(1, shared: false);
        // Every slot sells to its shape; at minute 40 one customer takes 5 items from slot 0.
        shelf.Run(TimeSpan.FromHours(1), (slot, minute) => Ordinary(minute) + (slot == 0 && minute == 40 ? 5 : 0));
        alone.Run(TimeSpan.FromHours(1), (slot, minute) => Ordinary(minute) + (minute == 40 ? 5 : 0));

        Assert.All(shelf.Slots.Skip(1), s => Assert.InRange(s.Level, 0.9, 1.2));
        Assert.True(alone.Slots[0].Level > 1.6, $"a slot on its own reads the burst as a lift ({alone.Slots[0].Level:F2})");
        Assert.True(
            shelf.Slots[0].Level < alone.Slots[0].Level - 0.3,
            $"in a store the burst is damped ({shelf.Slots[0].Level:F2} vs {alone.Slots[0].Level:F2})");
    }

    [Fact]
    public void A_lasting_lift_of_one_slot_is_still_followed_and_leaves_the_others_alone()
    {
        var shelf = Shelf.Of(6);
        // A promotion on slot 0 alone: three times its shape for two hours, the others as usual.
        shelf.Run(TimeSpan.FromHours(2), (slot, minute) => slot == 0 ? (minute % 5 == 4 ? 1 : 0) : Ordinary(minute));

        Assert.True(shelf.Slots[0].Level > 1.6, $"the promoted slot follows its lift ({shelf.Slots[0].Level:F2})");
        Assert.All(shelf.Slots.Skip(1), s => Assert.InRange(s.Level, 0.9, 1.2));
    }

    [Fact]
    public void A_promotion_lift_does_not_fade_while_the_slot_is_not_exposed()
    {
        var shelf = Shelf.Of(6);
        shelf.Run(TimeSpan.FromHours(6), (slot, minute) => slot == 0 ? (minute % 5 == 4 ? 1 : 0) : Ordinary(minute));
        var before = shelf.Slots[0].Level;
        // Twelve hours with no exposure (no readings, as while the slot is empty or its sensor faulty): nothing fades.
        shelf.Pause(TimeSpan.FromHours(12));
        shelf.Run(TimeSpan.FromMinutes(1), (_, _) => 0);

        Assert.True(before > 2, $"the promotion was learned ({before:F2})");
        Assert.True(shelf.Slots[0].Level > 1.8, $"it is still there after the pause ({shelf.Slots[0].Level:F2})");
    }

    private static int Ordinary(int minute) => minute % 15 == 14 ? 1 : 0;

    /// <summary>Slots fed minute by minute, every slot in turn, as the pipeline sees readings in order.</summary>
    private sealed class Shelf
    {
        private DateTimeOffset _now = Monday.AddHours(4);

        private Shelf(StoreLevel? store, int slots)
        {
            Store = store;
            Slots = Enumerable.Range(0, slots).Select(_ => new SlotDemand(new WeeklyDemand(), Profile(4), store)).ToList();
        }

        public StoreLevel? Store { get; }

        public List<SlotDemand> Slots { get; }

        /// <summary><paramref name="slots"/> slots after an ordinary morning, sharing a store level unless not <paramref name="shared"/>.</summary>
        public static Shelf Of(int slots, bool shared = true)
        {
            var shelf = new Shelf(shared ? new StoreLevel() : null, slots);
            shelf.Run(Morning, (_, minute) => Ordinary(minute));
            return shelf;
        }

        public void Pause(TimeSpan duration) => _now += duration;

        public void Run(TimeSpan duration, Func<int, int, int> picks)
        {
            for (var minute = 0; minute < (int)duration.TotalMinutes; minute++)
            {
                _now = _now.AddMinutes(1);
                for (var i = 0; i < Slots.Count; i++)
                {
                    Slots[i].ObserveExposure(_now, TimeSpan.FromMinutes(1));
                    if (picks(i, minute) is var items and > 0)
                    {
                        Slots[i].ObservePicks(_now, items);
                    }
                }
            }
        }
    }
}

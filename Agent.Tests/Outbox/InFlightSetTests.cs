using FsCheck;
using FsCheck.Fluent;
using ShelfAgent.Outbox;

namespace ShelfAgent.Tests.Outbox;

public sealed class InFlightSetTests
{
    [Fact]
    public void Adjacent_ranges_merge_and_a_removal_in_the_middle_splits()
    {
        var set = new InFlightSet();
        set.Add(1, 4);
        set.Add(5, 8);
        Assert.Equal(1, set.RangeCount);
        set.Remove(3, 6);
        Assert.Equal(2, set.RangeCount);
        Assert.True(set.TryGetRun(1, out var hi) && hi == 2);
        Assert.False(set.Contains(4));
        Assert.True(set.TryGetRun(7, out hi) && hi == 8);
        Assert.Equal(4, set.Count);
    }

    [Fact]
    public void Adding_an_overlapping_range_is_refused()
    {
        var set = new InFlightSet();
        set.Add(10, 20);
        Assert.Throws<InvalidOperationException>(() => set.Add(20, 25));
    }

    [Fact]
    public void Runs_split_sequence_numbers_into_consecutive_ranges()
    {
        Assert.Equal([(1L, 3L), (7L, 7L), (9L, 10L)], InFlightSet.Runs([1, 2, 3, 7, 9, 10]));
    }

    [Fact]
    public void Behaves_like_a_set_of_numbers_under_any_adds_and_removes()
    {
        var op = Gen.Choose(0, 60).SelectMany(lo => Gen.Choose(0, 8).SelectMany(len => Gen.Elements(true, false).Select(add => (add, lo, hi: lo + len))));
        Prop.ForAll(op.ListOf().ToArbitrary(), ops =>
        {
            var set = new InFlightSet();
            var model = new HashSet<long>();
            foreach (var (add, lo, hi) in ops)
            {
                var range = Enumerable.Range(lo, hi - lo + 1).Select(i => (long)i).ToArray();
                if (add && !range.Any(model.Contains))
                {
                    set.Add(lo, hi);
                    model.UnionWith(range);
                }
                else if (!add)
                {
                    set.Remove(lo, hi);
                    model.ExceptWith(range);
                }
            }

            return set.Count == model.Count
                && Enumerable.Range(-1, 72).All(s => set.Contains(s) == model.Contains(s));
        }).QuickCheckThrowOnFailure();
    }
}

using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Tests.Releases;

/// <summary>What each rollout step sends, and to whom (docs/models.md, "On one machine").</summary>
public sealed class DeliveryTests
{
    private static readonly RolloutRecord OnCanary = new()
    {
        Release = "r-2",
        Previous = "r-1",
        State = RolloutState.Canary,
        Canary = ["shelf-a-01", "shelf-a-02"],
        Rest = ["shelf-b-01"],
        Started = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void The_canary_sends_the_release_to_the_canary_things()
    {
        Assert.Equal(new Delivery("canary", "r-2", "r-2", OnCanary.Canary), Delivery.Canary(OnCanary), DeliveryComparer);
    }

    [Fact]
    public void A_promotion_sends_the_release_to_the_rest()
    {
        var promoted = OnCanary with { State = RolloutState.Promoted };
        Assert.Equal(new Delivery("promote", "r-2", "r-2", ["shelf-b-01"]), Delivery.After(OnCanary, promoted, "r-2"), DeliveryComparer);
    }

    [Fact]
    public void A_rollback_of_a_canary_sends_the_previous_release_to_the_canary()
    {
        var rolledBack = OnCanary with { State = RolloutState.RolledBack };
        Assert.Equal(new Delivery("rollback", "r-2", "r-1", OnCanary.Canary), Delivery.After(OnCanary, rolledBack, "r-1"), DeliveryComparer);
    }

    [Fact]
    public void A_rollback_of_a_first_release_sends_its_withdrawal()
    {
        var first = OnCanary with { Previous = null };
        var delivery = Delivery.After(first, first with { State = RolloutState.RolledBack }, inService: null)!;
        Assert.Null(delivery.Release);
        Assert.Contains("withdrawal of r-2", delivery.What, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rollback_by_hand_of_a_promoted_release_sends_the_release_now_in_service_to_every_device()
    {
        var promoted = OnCanary with { State = RolloutState.Promoted };
        var delivery = Delivery.After(promoted, promoted with { State = RolloutState.RolledBack }, "r-0");
        Assert.Equal(new Delivery("rollback", "r-2", "r-0", ["shelf-a-01", "shelf-a-02", "shelf-b-01"]), delivery, DeliveryComparer);
    }

    [Fact]
    public void Nothing_is_sent_when_the_state_did_not_change()
    {
        Assert.Null(Delivery.After(OnCanary, OnCanary, "r-1"));
    }

    private static readonly EqualityComparer<Delivery?> DeliveryComparer = EqualityComparer<Delivery?>.Create(
        (a, b) => a is not null && b is not null && (a.Purpose, a.Rollout, a.Release) == (b.Purpose, b.Rollout, b.Release) && a.Things.SequenceEqual(b.Things));
}

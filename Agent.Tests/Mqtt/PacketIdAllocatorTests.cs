using ShelfAgent.Mqtt;

namespace ShelfAgent.Tests.Mqtt;

public sealed class PacketIdAllocatorTests
{
    [Fact]
    public void Wraps_from_65535_to_1_never_using_zero()
    {
        var ids = new PacketIdAllocator();
        for (var i = 1; i <= 65_535; i++)
        {
            Assert.True(ids.TryAllocate(out var id));
            Assert.Equal(i, id);
            ids.Release(id);
        }

        Assert.True(ids.TryAllocate(out var wrapped));
        Assert.Equal(1, wrapped);
    }

    [Fact]
    public void Skips_ids_still_in_flight_after_wrapping()
    {
        var ids = new PacketIdAllocator();
        ids.TryAllocate(out var first);   // 1 stays in flight
        ids.TryAllocate(out var second);  // 2 stays in flight
        for (var i = 3; i <= 65_535; i++)
        {
            ids.TryAllocate(out var id);
            ids.Release(id);
        }

        Assert.True(ids.TryAllocate(out var next));
        Assert.Equal(3, next);
        Assert.True(ids.IsInUse(first) && ids.IsInUse(second));
    }

    [Fact]
    public void Refuses_when_all_65535_ids_are_in_flight()
    {
        var ids = new PacketIdAllocator();
        var seen = new HashSet<ushort>();
        for (var i = 0; i < 65_535; i++)
        {
            Assert.True(ids.TryAllocate(out var id));
            Assert.True(seen.Add(id));
        }

        Assert.False(ids.TryAllocate(out _));
        Assert.True(ids.Release(40_000));
        Assert.True(ids.TryAllocate(out var freed));
        Assert.Equal(40_000, freed);
    }

    [Fact]
    public void Release_of_an_unknown_id_is_reported_not_counted()
    {
        var ids = new PacketIdAllocator();
        Assert.False(ids.Release(5));
        Assert.False(ids.Release(0));
        Assert.Equal(0, ids.InUse);
    }
}

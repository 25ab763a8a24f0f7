using ShelfAgent.Outbox;

namespace ShelfAgent.Tests.Outbox;

public sealed class OutboxReserveTests : IDisposable
{
    private readonly TempDirectory _dir = new("reserve");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Writes_a_file_of_the_full_size_beside_the_buffer()
    {
        var reserve = new OutboxReserve(_dir.File("outbox.db"), 100_000);
        Assert.False(reserve.Held);
        Assert.True(reserve.TryCreate());
        Assert.True(reserve.Held);
        Assert.Equal(_dir.File("outbox.db.reserve"), reserve.Path);
        Assert.Equal(100_000, new FileInfo(reserve.Path).Length);
    }

    [Fact]
    public void Releasing_deletes_the_file_and_says_how_many_bytes_it_freed()
    {
        var reserve = new OutboxReserve(_dir.File("outbox.db"), 70_000);
        reserve.TryCreate();
        Assert.Equal(70_000, reserve.Release());
        Assert.False(File.Exists(reserve.Path));
        Assert.Equal(0, reserve.Release());
    }

    [Fact]
    public void A_short_file_left_by_a_crash_is_not_held_and_is_written_again()
    {
        var reserve = new OutboxReserve(_dir.File("outbox.db"), 70_000);
        File.WriteAllBytes(reserve.Path, new byte[10]);
        Assert.False(reserve.Held);
        Assert.True(reserve.TryCreate());
        Assert.True(reserve.Held);
    }
}

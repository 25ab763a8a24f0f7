using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Clock;
using ShelfAgent.Diagnostics;

namespace ShelfAgent.Tests.Clock;

public sealed class TimeFloorTests
{
    private static readonly DateTimeOffset Floor = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed class Sync(bool value) : IClockSync
    {
        public bool Value { get; set; } = value;

        public bool IsSynchronised() => Value;
    }

    [Theory]
    [InlineData(-1, false, ClockVerdict.BehindFloor)]
    [InlineData(-1, true, ClockVerdict.Trusted)]
    [InlineData(0, false, ClockVerdict.Trusted)]
    [InlineData(3600, false, ClockVerdict.Trusted)]
    public void A_clock_is_trusted_when_synchronised_or_at_or_past_the_floor(int secondsFromFloor, bool synchronised, ClockVerdict verdict)
        => Assert.Equal(verdict, TimeFloor.Judge(Floor.AddSeconds(secondsFromFloor), Floor, synchronised));

    [Fact]
    public void The_floor_never_goes_below_the_build_floor_nor_backwards()
    {
        Assert.Equal(TimeFloor.BuildFloor, TimeFloor.Effective(null));
        Assert.Equal(TimeFloor.BuildFloor, TimeFloor.Effective(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Null(TimeFloor.Advance(Floor.AddSeconds(-5), Floor, ClockVerdict.Trusted));
        Assert.Null(TimeFloor.Advance(Floor.AddSeconds(5), Floor, ClockVerdict.BehindFloor));
        Assert.Equal(Floor.AddSeconds(5), TimeFloor.Advance(Floor.AddSeconds(5), Floor, ClockVerdict.Trusted));
    }

    [Fact]
    public async Task A_clock_behind_the_floor_is_untrusted_until_synchronised_and_the_floor_is_written_at_stop()
    {
        using var dir = new TempDirectory("floor");
        var store = new TimeFloorStore(dir.File(TimeFloorStore.FileName));
        await store.SaveAsync(Floor, CancellationToken.None);
        var time = new FakeTimeProvider(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sync = new Sync(false);
        var monitor = new TimeFloorMonitor(store, sync, time, NullLogger<TimeFloorMonitor>.Instance);
        Assert.False(monitor.Trusted);

        await monitor.StopAsync(CancellationToken.None);
        Assert.Equal(Floor, store.Load()); // an untrusted clock never writes the floor

        time.SetUtcNow(Floor.AddHours(1));
        sync.Value = true;
        await monitor.StopAsync(CancellationToken.None);
        Assert.True(monitor.Trusted);
        Assert.Equal(Floor.AddHours(1), store.Load());
    }

    [Fact]
    public void Doctor_fails_the_clock_behind_the_floor_and_says_why_the_connection_waits()
    {
        var behind = DeviceDoctor.Clock(Floor.AddDays(-400), Floor, synchronised: false);
        Assert.Equal(CheckStatus.Fail, behind.Status);
        Assert.Contains("certificate not yet valid", behind.Detail, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Ok, DeviceDoctor.Clock(Floor.AddDays(1), Floor, synchronised: false).Status);
        Assert.Equal(CheckStatus.Ok, DeviceDoctor.Clock(Floor.AddDays(-1), Floor, synchronised: true).Status);
    }
}

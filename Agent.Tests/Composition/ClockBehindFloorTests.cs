using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Clock;
using ShelfAgent.Composition;
using ShelfAgent.Config;
using ShelfAgent.Outbox;
using ShelfAgent.Tests.Config;

namespace ShelfAgent.Tests.Composition;

/// <summary>
/// The composed agent with its clock behind the time floor (issue 14): a floor file in the future stands for a Pi that
/// booted years behind, so nothing moves the machine's clock. Readings are committed all the same, each marked.
/// </summary>
public sealed class ClockBehindFloorTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    private sealed class NotSynchronised : IClockSync
    {
        public bool IsSynchronised() => false;
    }

    [Fact]
    public async Task Readings_taken_behind_the_floor_are_committed_and_marked_time_untrusted()
    {
        var options = AgentConfigLoader.Load(_files.Write(_files.ValidJson()), out _, ConfigFiles.NoEnvironment);
        await TimeFloorStore.Beside(options.Buffer.Path).SaveAsync(new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero), CancellationToken.None);
        using (var host = await AgentComposition.BuildHostAsync(
            options, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None, clockSync: new NotSynchronised()))
        {
            var clock = (TimeFloorMonitor)host.Services.GetService(typeof(TimeFloorMonitor))!;
            Assert.False(clock.Trusted);
            await host.StartAsync();
            await Eventually.UntilAsync(
                async () => await SqliteOutbox.ReadStatsAsync(options.Buffer.Path, TimeProvider.System, CancellationToken.None)
                    is not { LiveDepth: 0, BacklogDepth: 0 },
                TimeSpan.FromSeconds(60),
                "a reading was committed");

            await host.StopAsync();
        }

        await using var outbox = await SqliteOutbox.OpenAsync(options.Buffer, TimeProvider.System, NullLogger<SqliteOutbox>.Instance, CancellationToken.None);
        var batch = await outbox.LeaseAsync(100, CancellationToken.None);
        Assert.NotEmpty(batch.Readings);
        Assert.All(batch.Readings, r => Assert.True(r.Reading.TimeUntrusted));
        // An untrusted clock never lowers (or writes) the floor.
        Assert.Equal(2100, TimeFloorStore.Beside(options.Buffer.Path).Load()!.Value.Year);
    }
}

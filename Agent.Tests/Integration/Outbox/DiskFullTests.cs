using System.Text.Json;
using ShelfAgent.Outbox;

namespace ShelfAgent.Tests.Integration.Outbox;

/// <summary>
/// Issue 23, "a disk that fills for another reason": the buffer on a 20 MB tmpfs, 24 slots, no broker, and a file
/// written from outside until the file system is full, then removed. Mounting needs root (CAP_SYS_ADMIN), as
/// ./test.sh has for its apt-get; the mount is taken down at the end whatever happens.
/// </summary>
public sealed class DiskFullTests(SharedBroker shared) : IClassFixture<SharedBroker>
{
    private const int Slots = 24;

    [Fact]
    public async Task A_disk_filled_from_outside_evicts_the_oldest_readings_counts_them_and_recovers()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);
        await using var disk = await SmallDisk.MountAsync(env.File("small-disk"), "20m");
        var device = await env.DeviceAsync("shelf-diskfull-01", c => c
            .Slots(Slots)
            .Set("Sampling:IntervalMs", 25)
            .Set("Buffer:CommitWindowMs", 10)
            .Set("Mqtt:Port", FreePort.Next()) // nothing listens: the agent buffers everything
            .Set("Buffer:Path", Path.Combine(disk.Path, "outbox.db"))
            .Set("Logging:Level", "Information"));

        var agent = env.StartAgent(device);
        var inside = disk.Path;
        var buffer = Path.Combine(inside, "outbox.db");
        await agent.WaitForAsync(() => File.Exists(buffer + OutboxReserve.Suffix), "the agent wrote its reserve on the small disk");
        await agent.WaitForAsync(() => Stats(buffer).NextSeq > 5_000, "the agent buffered a few thousand readings");

        // Another program fills the file system to the last block.
        var filler = Path.Combine(inside, "filler");
        FillUntilFull(filler);
        Assert.True(new DriveInfo(inside).AvailableFreeSpace < 64 * 1024, $"{new DriveInfo(inside).AvailableFreeSpace} bytes still free");

        var full = Stats(buffer);
        await agent.WaitForAsync(
            () => Stats(buffer) is { DiskFull: { Ongoing: true } ep } s && ep.Evicted >= 10_000 && s.NextSeq > full.NextSeq + 20_000,
            "the agent kept storing new readings on the full disk by evicting old ones",
            diagnostic: () => Stats(buffer).ToString());

        var during = Stats(buffer);
        var (oldest, newest) = SeqRange(buffer);
        Assert.True(oldest > full.NextSeq - full.LiveDepth - full.BacklogDepth, "the oldest readings were the ones evicted");
        // The newest reading is kept: the range is read after the stats, and the agent may have stored more in between.
        Assert.True(newest >= during.NextSeq - 1, $"newest kept {newest}, next seq {during.NextSeq} when the stats were read");
        // Every loss is counted in dropped: the evicted oldest, plus any round refused at the very instant the disk filled
        // (counted too, written with the next commit). The issue's failure was the other way round: all of it the newest.
        var unstored = during.DroppedPending.Values.Sum() - during.EvictedTotal;
        Assert.InRange(unstored, 0, during.EvictedTotal / 10);
        Assert.False(agent.HasExited, agent.Output);

        // What a person sees: the status (buffer stats), doctor, and one log line a minute, never a stack trace per commit.
        var stats = await AgentProcess.RunAsync("buffer", "stats", "--path", buffer);
        Assert.Contains("disk full: ", stats.Output, StringComparison.Ordinal);
        Assert.Matches(@"disk full: \d+ readings evicted since \d{4}-\d\d-\d\dT", stats.Output);
        var json = await AgentProcess.RunAsync("buffer", "stats", "--path", buffer, "--json");
        using (var doc = JsonDocument.Parse(json.Output))
        {
            Assert.True(doc.RootElement.GetProperty("diskFull").GetProperty("evicted").GetInt64() > 0, json.Output);
        }

        var doctor = await AgentProcess.RunAsync("doctor", "--config", device.Config);
        Assert.Matches(@"disk full: \d+ readings evicted since", doctor.Output);
        Assert.InRange(agent.CountOf("Disk full ("), 1, 2);
        Assert.DoesNotContain("   at ", agent.Output, StringComparison.Ordinal);
        Assert.Equal(0, agent.CountOf("Could not commit"));

        // Room again: the episode ends, the reserve is written back, and the agent goes on.
        File.Delete(filler);
        await agent.WaitForAsync(() => Stats(buffer).DiskFull is { Ongoing: false }, "the agent saw the room come back",
            diagnostic: () => Stats(buffer).ToString());
        await agent.WaitForAsync(() => File.Exists(buffer + OutboxReserve.Suffix), "the reserve is back");
        var after = Stats(buffer);
        await agent.WaitForAsync(() => Stats(buffer).NextSeq > after.NextSeq + 1_000, "the agent kept buffering");
        Assert.Contains("Disk has room again", agent.Output, StringComparison.Ordinal);
        Assert.Matches(@"disk was full: \d+ readings evicted from .* to ", Stats(buffer).DiskFull!.Describe());
        await agent.StopAsync();
        Assert.True(agent.ExitCode == 0, agent.Output);
    }

    private static OutboxStats Stats(string buffer) =>
        SqliteOutbox.ReadStatsAsync(buffer, TimeProvider.System, CancellationToken.None).GetAwaiter().GetResult();

    private static (long Oldest, long Newest) SeqRange(string buffer)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={buffer};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT min(seq), max(seq) FROM reading;";
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    // Writes until the file system refuses (ENOSPC), as a log or a download filling the disk would.
    private static void FillUntilFull(string path)
    {
        var block = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 0);
        try
        {
            while (true)
            {
                file.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full. Top up the last partial block byte by byte.
        }

        try
        {
            while (true)
            {
                file.Write(block, 0, 1);
            }
        }
        catch (IOException)
        {
        }
    }
}

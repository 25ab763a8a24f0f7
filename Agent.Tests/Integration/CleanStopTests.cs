using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// A clean stop (SIGTERM, as systemd stops the unit) of the real process: the container disposes the outbox, which
/// commits what is queued and closes the file — SQLite checkpoints the WAL into the file and removes -wal and -shm
/// when the last connection closes (docs/buffer.md).
/// </summary>
public sealed partial class CleanStopTests
{
    [Fact]
    public async Task A_clean_stop_commits_every_sampled_reading_and_closes_the_outbox_file()
    {
        await using var env = await IntegrationEnvironment.StartAsync();
        var device = await env.DeviceAsync("shelf-clean-stop", c => c.Set("Sampling:IntervalMs", 50));
        var outbox = device.Outbox;
        // No broker: nothing is acknowledged, so every reading taken must still be in the file at the end.
        await env.StopBrokerAsync();

        var agent = env.StartAgent(device);
        await agent.WaitForAsync(() => StoredSoFar(outbox) >= 60, "60 readings stored");
        await agent.StopAsync();

        Assert.True(agent.ExitCode == 0, agent.Output);
        Assert.False(File.Exists(outbox + "-wal"), "the -wal file is left: the outbox was not closed\n" + agent.Output);
        Assert.False(File.Exists(outbox + "-shm"), "the -shm file is left: the outbox was not closed\n" + agent.Output);
        var stopped = StoppedLine().Match(agent.Output);
        Assert.True(stopped.Success, "no 'Sampling stopped' line:\n" + agent.Output);
        var sampled = long.Parse(stopped.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(sampled >= 60, agent.Output);
        Assert.Equal(stopped.Groups[1].Value, stopped.Groups[2].Value);
        Assert.Equal(sampled, CountReadings(outbox));
    }

    // While the agent creates the file, its tables may not exist yet.
    private static int StoredSoFar(string path)
    {
        try
        {
            return OutboxFileProbe.RemainingSeqs(path).Count;
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    private static long CountReadings(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM reading";
        return (long)command.ExecuteScalar()!;
    }

    [GeneratedRegex(@"Sampling stopped: (\d+) readings sampled, (\d+) committed")]
    private static partial Regex StoppedLine();
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Bench;

/// <summary>
/// Outbox-side cost of draining a backlog, without a broker: lease a batch, acknowledge it, repeat until empty.
/// <c>--fill N</c> first writes N readings (dated a day ago) into <c>--dir</c>; a run without <c>--fill</c> then drains the
/// file that is there, so the two steps can be run (and strace'd) separately.
/// </summary>
internal static class OutboxDrainBench
{
    public static Command Create()
    {
        var dir = BenchOption.Of("--dir", Path.Combine(Path.GetTempPath(), "shelfagent-drain"), "Folder of the outbox.db to fill or drain");
        var fill = BenchOption.Of("--fill", 0, "First write this many day-old readings (0: drain what is there)");
        var batch = BenchOption.Of("--batch", 2000, "Readings per lease");
        var inFlight = BenchOption.Of("--in-flight", 1, "Leases outstanding at once");
        var sync = BenchOption.Of("--sync", OutboxSynchronous.Full, "SQLite synchronous mode (Buffer:Synchronous)");
        var command = new Command("outbox-drain", "Outbox-side cost of draining a backlog without a broker: lease, acknowledge, repeat")
        {
            dir, fill, batch, inFlight, sync,
        };
        command.SetAction((parse, _) => RunAsync(
            parse.GetValue(dir)!, parse.GetValue(fill), parse.GetValue(batch), parse.GetValue(inFlight), parse.GetValue(sync)));
        return command;
    }

    private static async Task<int> RunAsync(string dir, int fill, int batch, int inFlight, OutboxSynchronous sync)
    {
        Directory.CreateDirectory(dir);
        var options = new OutboxOptions { Path = Path.Combine(dir, "outbox.db"), Synchronous = sync, MaxBytes = 4L << 30 };
        await using var outbox = await SqliteOutbox.OpenAsync(options, TimeProvider.System, NullLogger<SqliteOutbox>.Instance, CancellationToken.None);
        if (fill > 0)
        {
            var start = DateTimeOffset.UtcNow.AddDays(-1);
            var chunk = Enumerable.Range(0, 1000)
                .Select(i => new Reading(start.AddSeconds(i / 24), $"S{i % 24:00}", $"SKU-{i % 24:000}", 350.5 * (i % 9), i % 9, StockStatus.Ok))
                .ToArray();
            for (var i = 0; i < fill / chunk.Length; i++)
            {
                await outbox.AppendAsync(chunk, CancellationToken.None);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"outbox-drain: filled {fill:N0} readings into {options.Path}"));
            return 0;
        }

        // Keep up to --in-flight leases open, like the publisher with Mqtt:MaxInFlight, acknowledging the oldest.
        var open = new Queue<OutboxBatch>();
        long readings = 0, acks = 0;
        var leaseTime = new Stopwatch();
        var ackTime = new Stopwatch();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            leaseTime.Start();
            var next = await outbox.LeaseAsync(batch, CancellationToken.None);
            leaseTime.Stop();
            if (!next.IsEmpty)
            {
                open.Enqueue(next);
            }

            if (open.Count == 0)
            {
                break;
            }

            if (open.Count >= inFlight || next.IsEmpty)
            {
                var done = open.Dequeue();
                ackTime.Start();
                await outbox.AckAsync(done, CancellationToken.None);
                ackTime.Stop();
                readings += done.Readings.Count;
                acks++;
            }
        }

        clock.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outbox-drain sync={sync} batch={batch} in-flight={inFlight}: {readings:N0} readings in {acks:N0} lease/ack pairs, " +
            $"{clock.Elapsed.TotalSeconds:0.00} s = {readings / clock.Elapsed.TotalSeconds:N0} readings/s " +
            $"(CPU {cpu:0.00} s = {readings / cpu:N0} readings per CPU-second), {acks / clock.Elapsed.TotalSeconds:N0} acks/s " +
            $"(leasing {leaseTime.Elapsed.TotalSeconds:0.00} s, acknowledging {ackTime.Elapsed.TotalSeconds:0.00} s)"));
        return 0;
    }
}

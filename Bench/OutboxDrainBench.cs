using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Bench;

/// <summary>
/// Outbox-side cost of draining a backlog, without a broker: lease a batch, acknowledge it, repeat until empty.
/// <c>--fill N</c> first writes N readings (dated a day ago) into <c>--dir</c>; <c>--drain</c> then drains the file
/// that is there, so the two steps can be run (and strace'd) separately.
/// </summary>
internal static class OutboxDrainBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new BenchArgs(args);
        var dir = a.Get("dir", Path.Combine(Path.GetTempPath(), "shelfagent-drain"));
        var fill = a.Int("fill", 0);
        var batch = a.Int("batch", 2000);
        var inFlight = a.Int("in-flight", 1);
        var sync = Enum.Parse<OutboxSynchronous>(a.Get("sync", "Full"), ignoreCase: true);
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
            $"outbox-drain sync={sync} batch={batch} in-flight={inFlight}: {readings:N0} readings in {acks:N0} lease/ack pairs, {clock.Elapsed.TotalSeconds:0.00} s = {readings / clock.Elapsed.TotalSeconds:N0} readings/s (CPU {cpu:0.00} s = {readings / cpu:N0} readings per CPU-second), {acks / clock.Elapsed.TotalSeconds:N0} acks/s (leasing {leaseTime.Elapsed.TotalSeconds:0.00} s, acknowledging {ackTime.Elapsed.TotalSeconds:0.00} s)"));
        return 0;
    }
}

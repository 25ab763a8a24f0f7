using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Bench;

/// <summary>
/// Outbox ingest rate: P producers each append batches of B readings until N are committed, into a fresh
/// file. Prints readings/s and commits (one WAL fsync each under synchronous=FULL). Count real fsyncs with
/// <c>strace -f -c -e trace=fsync,fdatasync</c> around it (docs/benchmarks.md).
/// </summary>
internal static class OutboxIngestBench
{
    public static Command Create()
    {
        var readings = BenchOption.Of("--readings", 1_000_000, "Readings to commit");
        var producers = BenchOption.Of("--producers", 8, "Concurrent producers");
        var batch = BenchOption.Of("--batch", 500, "Readings per append");
        var sync = BenchOption.Of("--sync", OutboxSynchronous.Full, "SQLite synchronous mode (Buffer:Synchronous)");
        var window = BenchOption.Of("--window", 50, "Commit window in ms (Buffer:CommitWindowMs; 0: one commit per append)");
        var dir = BenchOption.Of("--dir", Path.Combine(Path.GetTempPath(), "shelfagent-bench-" + Environment.ProcessId), "Folder for the fresh outbox.db");
        var command = new Command("outbox-ingest", "Outbox ingest rate: producers append batches until N readings are committed; readings/s and commits")
        {
            readings, producers, batch, sync, window, dir,
        };
        command.SetAction((parse, _) => RunAsync(
            parse.GetValue(readings), parse.GetValue(producers), parse.GetValue(batch), parse.GetValue(sync), parse.GetValue(window), parse.GetValue(dir)!));
        return command;
    }

    private static async Task<int> RunAsync(int total, int producers, int batch, OutboxSynchronous sync, int window, string dir)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "outbox.db");
        foreach (var f in Directory.GetFiles(dir, "outbox.db*"))
        {
            File.Delete(f);
        }

        var options = new OutboxOptions { Path = path, Synchronous = sync, CommitWindowMs = window, MaxBytes = 4L << 30 };
        await using var outbox = await SqliteOutbox.OpenAsync(options, TimeProvider.System, NullLogger<SqliteOutbox>.Instance, CancellationToken.None);

        // Readings like a 24-slot shelf's: short slot ids and SKUs, grams with one decimal.
        var now = DateTimeOffset.UtcNow;
        var template = Enumerable.Range(0, batch)
            .Select(i => new Reading(
                now.AddMilliseconds(i), $"S{i % 24:00}", $"SKU-{i % 24:000}", 350.0 * (i % 9) + 0.5, i % 9, i % 9 == 0 ? StockStatus.Empty : StockStatus.Ok))
            .ToArray();
        var perProducer = total / producers / batch;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                await outbox.AppendAsync(template, CancellationToken.None);
            }
        })));
        clock.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;

        var committed = (long)perProducer * producers * batch;
        var rate = committed / clock.Elapsed.TotalSeconds;
        var bytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outbox-ingest sync={sync} window={window}ms producers={producers} batch={batch}: " +
            $"{committed:N0} readings in {clock.Elapsed.TotalSeconds:0.00} s = {rate:N0} readings/s " +
            $"(CPU {cpu:0.00} s = {committed / cpu:N0} readings per CPU-second); " +
            $"{outbox.Commits:N0} commits = {(double)outbox.Commits / committed:0.000000} commits/reading; " +
            $"file {bytes / 1048576.0:0.0} MB = {(double)bytes / committed:0.0} B/reading"));
        await outbox.DisposeAsync();
        Directory.Delete(dir, recursive: true);
        return 0;
    }
}

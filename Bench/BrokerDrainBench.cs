using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Bench.Mqtt;
using ShelfAgent.Buffer;
using ShelfAgent.Config;
using ShelfAgent.Hosting;
using ShelfAgent.Stock;

namespace ShelfAgent.Bench;

/// <summary>
/// Drains a backlog of <c>--readings</c> (default 1,000,000) day-old readings from an outbox file to a local
/// mosquitto over mutual TLS through the agent's own pipeline (AgentComposition: SqliteOutbox → PublishingService
/// → MqttClient), with <c>--limits off</c> or <c>aws</c> (100 publishes/s, 512 KB/s). An independent mosquitto_sub
/// stamps every message it receives with its arrival time and payload size, so the bytes per second are measured
/// on the receiving side, not taken from the sender's own bookkeeping.
/// </summary>
internal static class BrokerDrainBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new BenchArgs(args);
        var readings = a.Int("readings", 1_000_000);
        var aws = a.Get("limits", "off") == "aws";
        var dir = Directory.CreateTempSubdirectory("shelfagent-broker-drain-").FullName;
        await using var broker = await BenchBroker.StartAsync(dir);

        // 1. Fill (not timed): readings a day old, 24 slots, so all of it is backlog.
        var outboxPath = Path.Combine(dir, "outbox.db");
        await using (var outbox = await SqliteOutbox.OpenAsync(new OutboxOptions { Path = outboxPath, MaxBytes = 4L << 30 }, TimeProvider.System, NullLogger<SqliteOutbox>.Instance, CancellationToken.None))
        {
            var start = DateTimeOffset.UtcNow.AddDays(-1);
            for (var done = 0; done < readings; done += 1000)
            {
                var chunk = Enumerable.Range(done, Math.Min(1000, readings - done))
                    .Select(i => new Reading(start.AddSeconds(i / 24), $"S{i % 24:00}", $"SKU-{i % 24:000}", Math.Round(150 + (368.0 * (i % 25)) + ((i % 7) * 0.3), 1), i % 25, i % 25 == 0 ? StockStatus.Empty : StockStatus.Ok))
                    .ToArray();
                await outbox.AppendAsync(chunk, CancellationToken.None);
            }
        }

        // 2. The independent subscriber: arrival time (µs) and payload length per message.
        var arrivals = new List<(double Seconds, int Bytes)>();
        var sub = Process.Start(broker.Client("mosquitto_sub", "bench-sub", ["-i", "bench-sub", "-q", "1", "-t", "dt/shelf/#", "-F", "%U %l"]))!;
        sub.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.Split(' ') is [var at, var len])
            {
                lock (arrivals)
                {
                    arrivals.Add((double.Parse(at, CultureInfo.InvariantCulture), int.Parse(len, CultureInfo.InvariantCulture)));
                }
            }
        };
        sub.BeginOutputReadLine();
        await Task.Delay(500);

        // 3. The agent's own pipeline; sampling effectively off so only the backlog moves.
        var (cert, key) = broker.Device("bench-drain-01");
        await using var tap = new WireTap(broker.Port);
        var options = new AgentOptions
        {
            Device = new DeviceOptions { ThingName = "bench-drain-01", StoreId = "store-bench" },
            Mqtt = new MqttOptions
            {
                Host = "127.0.0.1", Port = tap.Port, CaFile = broker.CaFile, CertFile = cert, KeyFile = key,
                MaxPublishesPerSecond = aws ? 100 : 0, MaxBytesPerSecond = aws ? 512 * 1024 : 0,
            },
            Buffer = new OutboxOptions { Path = outboxPath, MaxBytes = 4L << 30 },
            Sampling = new SamplingOptions { IntervalMs = 3_600_000 },
            Publish = new PublishOptions { IntervalMs = 1000 },
            Slots = [new SlotOptions { Id = "S00", Sku = "SKU-000", UnitGrams = 368, TareGrams = 150, Capacity = 24, LowStockAt = 4 }],
        };
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        using var host = await AgentComposition.BuildHostAsync(options, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        var publisher = host.Services.GetServices<IHostedService>().OfType<PublishingService>().Single();
        var clock = Stopwatch.StartNew();
        await host.StartAsync();
        while (publisher.Published < readings && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(20);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        await host.StopAsync();
        await Task.Delay(500);
        sub.Kill();
        await sub.WaitForExitAsync();

        // 4. What the subscriber saw, in one-second windows from the first telemetry message.
        List<(double Seconds, int Bytes)> seen;
        lock (arrivals)
        {
            seen = [.. arrivals.OrderBy(x => x.Seconds)];
        }

        var bytes = seen.Sum(x => (long)x.Bytes);
        var t0 = seen[0].Seconds;
        var windows = seen.GroupBy(x => (int)Math.Floor(x.Seconds - t0)).OrderBy(g => g.Key).Select(g => g.Sum(x => (long)x.Bytes)).ToList();
        // Sliding: the most bytes in any one-second span that starts at a message.
        long worst = 0;
        for (int i = 0, j = 0; i < seen.Count; i++)
        {
            long sum = 0;
            for (j = i; j < seen.Count && seen[j].Seconds < seen[i].Seconds + 1; j++)
            {
                sum += seen[j].Bytes;
            }

            worst = Math.Max(worst, sum);
        }

        // What the agent put on the wire (TLS records and MQTT framing included), in any one-second span.
        var wire = tap.Sent;
        long wireWorst = 0;
        for (int i = 0, j = 0; i < wire.Count; i++)
        {
            long sum = 0;
            for (j = i; j < wire.Count && wire[j].Seconds < wire[i].Seconds + 1; j++)
            {
                sum += wire[j].Bytes;
            }

            wireWorst = Math.Max(wireWorst, sum);
        }

        var wireTotal = wire.Sum(x => (long)x.Bytes);
        var steady = windows.Count > 2 ? windows.Skip(1).Take(windows.Count - 2).ToList() : windows;
        var budget = 512 * 1024;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"drain --limits {(aws ? "aws" : "off")}: {readings:N0} readings in {seconds:0.00} s = {readings / seconds:N0} readings/s; publisher CPU {cpuSeconds:0.0} s; peak RSS {PeakRssMb():0} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  subscriber: {seen.Count:N0} messages, {bytes:N0} payload bytes = {(double)bytes / readings:0.0} bytes/reading"));
        if (aws)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  received payload per 1-s window (steady part, {steady.Count} windows): mean {steady.Average():N0} = {steady.Average() / budget:P1} of 524,288; max fixed window {windows.Max():N0}; max sliding 1-s span at the subscriber {worst:N0} (includes the broker's delivery jitter)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sent on the wire by the agent (TLS + MQTT framing included): {wireTotal:N0} bytes = {(double)wireTotal / bytes:0.000} × payload; max in any 1-s span {wireWorst:N0} = {(double)wireWorst / budget:P1} of the budget"));
        }

        Directory.Delete(dir, recursive: true);
        return 0;
    }

    private static double PeakRssMb()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Bench.Mqtt;
using ShelfAgent.Composition;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Pipeline;
using ShelfAgent.Stock;
using ShelfAgent.Transport;

namespace ShelfAgent.Bench;

/// <summary>
/// Drains a backlog of <c>--readings</c> (default 1,000,000) day-old readings from an outbox file to a local
/// mosquitto over mutual TLS through the agent's own pipeline (AgentComposition: SqliteOutbox → PublishingService
/// → MqttTransport), with <c>--limits off</c> or <c>aws</c> (100 publishes/s, 512 KB/s). An independent mosquitto_sub
/// stamps every message it receives with its arrival time and payload size, so the bytes per second are measured
/// on the receiving side, not taken from the sender's own bookkeeping; a TCP relay stamps every byte the agent
/// sends. Every 5 s an alert is appended to the outbox, to measure how long the first lane waits behind the drain.
/// </summary>
internal static class BrokerDrainBench
{
    public static Command Create()
    {
        var readings = BenchOption.Of("--readings", 1_000_000, "Day-old readings in the backlog");
        var limits = BenchOption.Of("--limits", "off", "off, or aws: AWS IoT's per-connection limits (100 publishes/s, 512 KB/s)");
        limits.AcceptOnlyFromAmong("off", "aws");
        var command = new Command(
            "drain",
            "Drain a backlog through the agent's own pipeline to a local mosquitto over mutual TLS; bytes/s measured by an independent subscriber")
        {
            readings, limits,
        };
        command.SetAction((parse, _) => RunAsync(parse.GetValue(readings), parse.GetValue(limits) == "aws"));
        return command;
    }

    private static async Task<int> RunAsync(int readings, bool aws)
    {
        var dir = Directory.CreateTempSubdirectory("shelfagent-broker-drain-").FullName;
        await using var broker = await BenchBroker.StartAsync(dir);

        // 1. Fill (not timed): readings a day old, 24 slots, so all of it is backlog.
        var outboxPath = Path.Combine(dir, "outbox.db");
        await using (var outbox = await SqliteOutbox.OpenAsync(
            new OutboxOptions { Path = outboxPath, MaxBytes = 4L << 30 },
            TimeProvider.System,
            NullLogger<SqliteOutbox>.Instance,
            CancellationToken.None))
        {
            var start = DateTimeOffset.UtcNow.AddDays(-1);
            for (var done = 0; done < readings; done += 1000)
            {
                var chunk = Enumerable.Range(done, Math.Min(1000, readings - done))
                    .Select(i => new Reading(
                        start.AddSeconds(i / 24),
                        $"S{i % 24:00}",
                        $"SKU-{i % 24:000}",
                        Math.Round(150 + (368.0 * (i % 25)) + ((i % 7) * 0.3), 1),
                        i % 25,
                        i % 25 == 0 ? StockStatus.Empty : StockStatus.Ok))
                    .ToArray();
                await outbox.AppendAsync(chunk, CancellationToken.None);
            }
        }

        // 2. The independent subscriber: arrival time (µs) and payload length per message.
        var arrivals = new List<(double Seconds, int Bytes)>();
        var alertArrivals = new Dictionary<string, double>();
        var sub = Process.Start(broker.Client("mosquitto_sub", "bench-sub", ["-i", "bench-sub", "-q", "1", "-t", "dt/shelf/#", "-F", "%U %l %t %p"]))!;
        sub.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line || line.Split(' ', 4) is not [var at, var len, var topic, var payload])
            {
                return;
            }

            var seconds = double.Parse(at, CultureInfo.InvariantCulture);
            lock (arrivals)
            {
                if (topic.EndsWith("/alerts", StringComparison.Ordinal))
                {
                    alertArrivals[payload] = seconds;
                }
                else
                {
                    arrivals.Add((seconds, int.Parse(len, CultureInfo.InvariantCulture)));
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
                Host = "127.0.0.1",
                Port = tap.Port,
                CaFile = broker.CaFile,
                CertFile = cert,
                KeyFile = key,
                MaxPublishesPerSecond = aws ? 100 : 0,
                MaxBytesPerSecond = aws ? 512 * 1024 : 0,
            },
            Buffer = new OutboxOptions { Path = outboxPath, MaxBytes = 4L << 30 },
            Sampling = new SamplingOptions { IntervalMs = 3_600_000 },
            Publish = new PublishOptions { IntervalMs = 1000 },
            Slots = [new SlotOptions { Id = "S00", Sku = "SKU-000", UnitGrams = 368, TareGrams = 150, Capacity = 24, LowStockAt = 4 }],
        };
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var host = await AgentComposition.BuildHostAsync(options, NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);
        await using var disposeHost = (IAsyncDisposable)host;
        var publisher = host.Services.GetServices<IHostedService>().OfType<PublishingService>().Single();
        var agentOutbox = host.Services.GetRequiredService<IOutbox>();
        var alertsAppended = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        await host.StartAsync();
        var nextAlert = TimeSpan.FromSeconds(2);
        while (publisher.Published < readings && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(20);
            if (clock.Elapsed >= nextAlert && publisher.Published < readings * 0.9)
            {
                // An alert while the backlog drains: the first lane must not wait behind it.
                var alert = new StockAlert(DateTimeOffset.UtcNow, "A1", "BENCH", StockAlertType.Fault, null, $"alert-{alertsAppended.Count}");
                var payload = System.Text.Encoding.UTF8.GetString(
                    StockMessagePayload.Encode(new TelemetryEnvelope(options.Device.ThingName, options.Device.StoreId), alert));
                alertsAppended[payload] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
                await agentOutbox.AppendEventAsync(new OutboxEvent(alert), CancellationToken.None);
                nextAlert += TimeSpan.FromSeconds(nextAlert < TimeSpan.FromSeconds(5) ? 3 : 5);
            }
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
        var budget = 512 * 1024;
        var alertDelays = alertsAppended
            .Where(a => alertArrivals.ContainsKey(a.Key))
            .Select(a => (alertArrivals[a.Key] - a.Value) * 1000)
            .Order()
            .ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"drain --limits {(aws ? "aws" : "off")}: {readings:N0} readings in {seconds:0.00} s = {readings / seconds:N0} readings/s; " +
            $"publisher CPU {cpuSeconds:0.0} s; peak RSS {PeakRssMb():0} MB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  subscriber: {seen.Count:N0} messages, {bytes:N0} payload bytes = {(double)bytes / readings:0.0} bytes/reading"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  alerts appended during the drain: {alertsAppended.Count}, arrived {alertDelays.Count}; delay from append to the subscriber: " +
            $"median {(alertDelays.Count > 0 ? alertDelays[alertDelays.Count / 2] : double.NaN):0} ms, " +
            $"max {(alertDelays.Count > 0 ? alertDelays[^1] : double.NaN):0} ms"));
        if (aws)
        {
            // The steady rate: bytes between the moments 10% and 90% of them had arrived, over that time.
            var payloadRate = SteadyRate(seen);
            var wireRate = SteadyRate(wire);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  received payload: steady {payloadRate:N0} B/s = {payloadRate / budget:P1} of 524,288 (10%–90% of the bytes); " +
                $"per 1-s window from the first message: {string.Join(' ', windows.Select(w => (w / 1000).ToString(CultureInfo.InvariantCulture)))} KB; " +
                $"max sliding 1-s span at the subscriber {worst:N0} (includes the broker's delivery jitter)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  sent on the wire by the agent (TLS + MQTT framing included): {wireTotal:N0} bytes = {(double)wireTotal / bytes:0.000} × payload; " +
                $"steady {wireRate:N0} B/s = {wireRate / budget:P1} of the budget; " +
                $"max in any 1-s span {wireWorst:N0} = {(double)wireWorst / budget:P1} of the budget"));
            var used = payloadRate / budget;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  goal (>= 95% of 512 KB/s used as payload, no 1-s span on the wire over it): {(used >= 0.95 && wireWorst <= budget ? "met" : "NOT met")}"));
        }

        Directory.Delete(dir, recursive: true);
        return 0;
    }

    private static double SteadyRate(List<(double Seconds, int Bytes)> stamped)
    {
        var total = stamped.Sum(x => (long)x.Bytes);
        double? from = null, to = null;
        long sum = 0, fromSum = 0, toSum = 0;
        foreach (var (at, n) in stamped)
        {
            sum += n;
            if (from is null && sum >= total / 10)
            {
                (from, fromSum) = (at, sum);
            }

            if (to is null && sum >= total * 9 / 10)
            {
                (to, toSum) = (at, sum);
            }
        }

        return to > from ? (toSum - fromSum) / (to.Value - from.Value) : double.NaN;
    }

    private static double PeakRssMb()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ShelfAgent.Bench.Mqtt;

/// <summary>
/// Publishes N QoS 1 messages of 198 bytes over mutual TLS to a local mosquitto and measures, per publisher, the
/// time until an independent mosquitto_sub has all of them, and the publisher's peak RSS (/usr/bin/time %M).
/// Publishers: our client (child process), mosquitto_pub -l -q 1 -M 1000 (≤ 65,000 lines per connection) and an
/// MQTT.js publisher with a window of 100. Same broker, same payload, one run.
/// </summary>
public static class MqttBenchmark
{
    private const int PayloadBytes = 198;

    /// <summary><c>mqtt [count] [window]</c>.</summary>
    public static Command Create()
    {
        var count = new Argument<int>("count") { Description = "Messages per publisher", DefaultValueFactory = _ => 100_000 };
        var window = new Argument<int>("window") { Description = "Our client's publishes in flight", DefaultValueFactory = _ => 100 };
        var command = new Command(
            "mqtt",
            "QoS 1 throughput over mutual TLS to a local mosquitto: our transport, mosquitto_pub and MQTT.js, same broker, same payload")
        {
            count, window,
        };
        command.SetAction((parse, _) => RunAsync(parse.GetValue(count), parse.GetValue(window)));
        return command;
    }

    /// <summary><c>mqtt-payload N</c>: prints the benchmark payload of sequence number N.</summary>
    public static Command PayloadCommand()
    {
        var seq = new Argument<int>("seq") { Description = "Sequence number in the payload" };
        var command = new Command("mqtt-payload", "Print the 198-byte payload the mqtt benchmark sends for a sequence number") { seq };
        command.SetAction(parse => Console.WriteLine(Encoding.ASCII.GetString(Payload(parse.GetValue(seq)))));
        return command;
    }

    private static async Task<int> RunAsync(int count, int window)
    {
        var dir = Directory.CreateTempSubdirectory("shelf-bench-mqtt-").FullName;
        try
        {
            await using var broker = await BenchBroker.StartAsync(dir);
            var results = new List<(string Name, double Rate, long RssKb, TimeSpan Elapsed, double CpuSeconds)>();
            results.Add(await MeasureAsync(broker, "ShelfAgent transport (MQTTnet), window " + window, "bench/ours", count,
                OurPublisher(broker, count, window)));
            // The same client with a smaller first GC budget, a deployment knob (systemd Environment=): shows how
            // much of the RSS is the runtime's gen0 budget on this many-core host rather than the client.
            results.Add(await MeasureAsync(broker, "ShelfAgent transport (MQTTnet), window " + window + ", DOTNET_GCgen0size=0x400000",
                "bench/ours-gen0", count, OurPublisher(broker, count, window, ("DOTNET_GCgen0size", "0x400000"))));
            results.Add(await MeasureAsync(broker, "mosquitto_pub -l -q 1 -M 1000", "bench/mosquitto", count,
                MosquittoPublishers(broker, count)));
            results.Add(await MeasureAsync(broker, "MQTT.js 5.16, window 100", "bench/mqttjs", count,
                MqttJsPublisher(broker, dir, count)));

            Console.WriteLine();
            Console.WriteLine($"{count:N0} QoS 1 messages of {PayloadBytes} bytes, mutual TLS, local mosquitto, all received by mosquitto_sub -q 1");
            Console.WriteLine();
            Console.WriteLine("| Publisher | msgs/s | time (s) | publisher CPU (s) | peak RSS (MB) |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                Console.WriteLine(FormattableString.Invariant(
                    $"| {r.Name} | {r.Rate:N0} | {r.Elapsed.TotalSeconds:0.00} | {r.CpuSeconds:0.00} | {r.RssKb / 1024.0:0.0} |"));
            }

            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The benchmark payload: a telemetry-like JSON document of exactly 198 bytes carrying its sequence number.</summary>
    public static byte[] Payload(int i)
    {
        // Written in place (one 198-byte array per message), so the publisher's own garbage is the client's.
        var payload = new byte[PayloadBytes];
        "{\"seq\":"u8.CopyTo(payload);
        System.Buffers.Text.Utf8Formatter.TryFormat(i, payload.AsSpan(7), out _, new System.Buffers.StandardFormat('D', 8));
        var rest = ",\"slot\":\"A1\",\"grams\":1234.5,\"pad\":\""u8;
        rest.CopyTo(payload.AsSpan(15));
        payload.AsSpan(15 + rest.Length, PayloadBytes - 15 - rest.Length - 2).Fill((byte)'x');
        "\"}"u8.CopyTo(payload.AsSpan(PayloadBytes - 2));
        return payload;
    }

    private static async Task<(string, double, long, TimeSpan, double)> MeasureAsync(
        BenchBroker broker, string name, string topic, int count, IEnumerable<(ProcessStartInfo Start, Func<StreamWriter, Task>? Input)> publishers)
    {
        Console.Error.WriteLine($"-- {name}");
        var subId = "bench-sub-" + topic.Replace('/', '-');
        // Create the subscriber's session first (-E: exit after SUBACK) so no message can precede its subscription.
        await RunToEndAsync(broker.Client("mosquitto_sub", subId, ["-c", "-i", subId, "-q", "1", "-t", topic, "-E"]));
        // The subscriber prints to /dev/null directly: piping 100k lines through this process would slow it down.
        var sub = broker.Client("mosquitto_sub", subId, ["-c", "-i", subId, "-q", "1", "-t", topic, "-C", count.ToString(CultureInfo.InvariantCulture)]);
        using var subscriber = Process.Start(
            new ProcessStartInfo("/bin/sh", ["-c", "exec \"$0\" \"$@\" > /dev/null", sub.FileName, .. sub.ArgumentList]) { UseShellExecute = false })!;
        await Task.Delay(500);

        var clock = Stopwatch.StartNew();
        long peakRss = 0;
        double cpu = 0;
        foreach (var (start, input) in publishers)
        {
            var (rss, seconds) = await RunWithRssAsync(start, input);
            peakRss = Math.Max(peakRss, rss);
            cpu += seconds;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await subscriber.WaitForExitAsync(timeout.Token);
        clock.Stop();
        return (name, count / clock.Elapsed.TotalSeconds, peakRss, clock.Elapsed, cpu);
    }

    private static IEnumerable<(ProcessStartInfo, Func<StreamWriter, Task>?)> OurPublisher(
        BenchBroker broker, int count, int window, params (string Name, string Value)[] environment)
    {
        var self = Environment.ProcessPath!;
        var prefix = Path.GetFileNameWithoutExtension(self) == "dotnet" ? new[] { typeof(MqttBenchmark).Assembly.Location } : [];
        var (cert, key) = broker.Device("bench-ours");
        var start = new ProcessStartInfo(self, [.. prefix, "mqtt-publisher", "127.0.0.1", broker.Port.ToString(CultureInfo.InvariantCulture),
            broker.CaFile, cert, key, "bench-ours", environment.Length == 0 ? "bench/ours" : "bench/ours-gen0",
            count.ToString(CultureInfo.InvariantCulture), window.ToString(CultureInfo.InvariantCulture)]);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        yield return (start, null);
    }

    private static IEnumerable<(ProcessStartInfo, Func<StreamWriter, Task>?)> MosquittoPublishers(BenchBroker broker, int count)
    {
        // mosquitto_pub -l stops after 65,535 messages on one connection (16-bit ids): ≤ 65,000 lines each.
        for (var first = 0; first < count; first += 65_000)
        {
            var from = first;
            var to = Math.Min(count, first + 65_000);
            yield return (broker.Client("mosquitto_pub", "bench-mosquitto", ["-i", "bench-mosquitto", "-q", "1", "-M", "1000", "-l", "-t", "bench/mosquitto"]),
                async stdin =>
                {
                    for (var i = from; i < to; i++)
                    {
                        await stdin.WriteLineAsync(Encoding.ASCII.GetString(Payload(i)));
                    }
                }
            );
        }
    }

    private static IEnumerable<(ProcessStartInfo, Func<StreamWriter, Task>?)> MqttJsPublisher(BenchBroker broker, string dir, int count)
    {
        var script = Path.Combine(dir, "mqttjs-pub.js");
        File.WriteAllText(script, MqttJsScript);
        var (cert, key) = broker.Device("bench-mqttjs");
        var start = new ProcessStartInfo(
            "node", [script, $"mqtts://127.0.0.1:{broker.Port}", broker.CaFile, cert, key, "bench/mqttjs", count.ToString(CultureInfo.InvariantCulture)]);
        start.Environment["NODE_PATH"] = NodeModules();
        yield return (start, null);
    }

    private const string MqttJsScript = """
        const mqtt = require('mqtt');
        const fs = require('fs');
        const [url, ca, cert, key, topic, countText] = process.argv.slice(2);
        const count = parseInt(countText, 10);
        const payload = i => {
          const head = '{"seq":' + String(i).padStart(8, '0') + ',"slot":"A1","grams":1234.5,"pad":"';
          return head + 'x'.repeat(198 - head.length - 2) + '"}';
        };
        const client = mqtt.connect(url, {
          ca: fs.readFileSync(ca), cert: fs.readFileSync(cert), key: fs.readFileSync(key), clientId: 'bench-mqttjs', clean: true, protocolVersion: 4
        });
        let sent = 0, acked = 0;
        const pump = () => {
          while (sent - acked < 100 && sent < count) {
            client.publish(topic, payload(sent++), { qos: 1 }, err => {
              if (err) { console.error(err.message); process.exit(1); }
              if (++acked === count) client.end(false, () => process.exit(0)); else pump();
            });
          }
        };
        client.on('connect', pump);
        client.on('error', e => { console.error(e.message); process.exit(1); });
        """;

    private static string NodeModules()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "ShelfAgent.sln")))
            {
                var path = Path.Combine(d.FullName, ".tools", "node_modules");
                return Directory.Exists(Path.Combine(path, "mqtt")) ? path
                    : throw new InvalidOperationException($"MQTT.js missing: run npm install --prefix .tools mqtt@5.16.0 in {d.FullName}");
            }
        }

        throw new InvalidOperationException("ShelfAgent.sln not found above " + AppContext.BaseDirectory);
    }

    // Runs under /usr/bin/time; returns the peak RSS in KB and the CPU seconds (user + system) of the publisher.
    private static async Task<(long RssKb, double CpuSeconds)> RunWithRssAsync(ProcessStartInfo start, Func<StreamWriter, Task>? input)
    {
        var timed = new ProcessStartInfo("/usr/bin/time", ["-f", "MAXRSS_KB %M %U %S", start.FileName, .. start.ArgumentList])
        {
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var (k, v) in start.Environment)
        {
            timed.Environment[k] = v;
        }

        using var process = Process.Start(timed)!;
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await input(process.StandardInput);
            process.StandardInput.Close();
        }

        await process.WaitForExitAsync();
        var text = await stderr;
        foreach (var info in text.Split('\n').Where(l => l.StartsWith("allocated ", StringComparison.Ordinal)))
        {
            Console.Error.WriteLine("   " + info);
        }

        var line = text.Split('\n').LastOrDefault(l => l.StartsWith("MAXRSS_KB ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"{start.FileName} failed ({process.ExitCode}): {text}");
        }

        var parts = line["MAXRSS_KB ".Length..].Split(' ');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture),
            double.Parse(parts[1], CultureInfo.InvariantCulture) + double.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static async Task RunToEndAsync(ProcessStartInfo start)
    {
        using var p = Process.Start(start)!;
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{start.FileName} exited with {p.ExitCode}");
        }
    }
}

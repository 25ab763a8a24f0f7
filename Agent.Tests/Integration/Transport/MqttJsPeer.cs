using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.Tests.Integration.Transport;

/// <summary>
/// MQTT.js (npm mqtt, installed under .tools/node_modules) as an independent peer: a subscriber that prints every
/// message as a JSON line, or a publisher of N QoS 1 messages. Missing node or mqtt fails the test with a clear message.
/// </summary>
public sealed class MqttJsPeer : IAsyncDisposable
{
    private const string Script = """
        const mqtt = require('mqtt');
        const fs = require('fs');
        const [mode, url, ca, cert, key, clientId, topic, arg, clean] = process.argv.slice(2);
        const client = mqtt.connect(url, {
          ca: fs.readFileSync(ca), cert: fs.readFileSync(cert), key: fs.readFileSync(key),
          clientId, clean: clean === 'clean', protocolVersion: 4, reconnectPeriod: 300, keepalive: 30,
          rejectUnauthorized: true,
        });
        client.on('error', e => console.error('ERROR ' + e.message));
        client.on('connect', ack => {
          console.log(JSON.stringify({ event: 'connect', sessionPresent: ack.sessionPresent }));
          if (mode === 'sub') {
            client.subscribe(topic, { qos: 1 }, (err, granted) => {
              if (err) { console.error('ERROR ' + err.message); return; }
              console.log(JSON.stringify({ event: 'subscribed', granted }));
            });
          } else if (mode === 'pub' && !client.started) {
            client.started = true;
            const count = parseInt(arg, 10);
            let acked = 0;
            for (let i = 0; i < count; i++) {
              client.publish(topic, 'mqttjs-' + i, { qos: 1 }, err => {
                if (err) { console.error('ERROR ' + err.message); return; }
                if (++acked === count) { console.log(JSON.stringify({ event: 'published', count })); client.end(); }
              });
            }
          }
        });
        client.on('message', (t, payload, packet) => {
          console.log(JSON.stringify({ event: 'message', topic: t, payload: payload.toString('base64'), qos: packet.qos, retain: packet.retain }));
        });
        """;

    private readonly Process _process;
    private readonly TempDirectory _dir;
    private readonly ConcurrentQueue<(string Topic, byte[] Payload)> _messages = new();
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private MqttJsPeer(Process process, TempDirectory dir)
    {
        _process = process;
        _dir = dir;
    }

    public IReadOnlyCollection<(string Topic, byte[] Payload)> Messages => _messages;

    public string Errors => string.Join('\n', _errors);

    /// <summary>Starts an MQTT.js subscriber (QoS 1, persistent session unless <paramref name="clean"/>) and waits for its SUBACK.</summary>
    public static async Task<MqttJsPeer> SubscribeAsync(MosquittoBroker broker, string clientId, string filter, bool clean = false)
    {
        var peer = Start(broker, "sub", clientId, filter, "0", clean);
        await peer.WaitForEventAsync("\"subscribed\"", TimeSpan.FromSeconds(20));
        return peer;
    }

    /// <summary>Starts an MQTT.js publisher of <paramref name="count"/> QoS 1 messages "mqttjs-i".</summary>
    public static MqttJsPeer Publish(MosquittoBroker broker, string clientId, string topic, int count)
        => Start(broker, "pub", clientId, topic, count.ToString(CultureInfo.InvariantCulture), clean: true);

    public Task WaitPublishedAsync() => WaitForEventAsync("\"published\"", TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _dir.Dispose();
    }

    private static MqttJsPeer Start(MosquittoBroker broker, string mode, string clientId, string topic, string arg, bool clean)
    {
        var nodeModules = RepoPaths.NodeModules;
        if (!Directory.Exists(Path.Combine(nodeModules, "mqtt")))
        {
            throw new InvalidOperationException($"MQTT.js is missing from {nodeModules}: run npm install --prefix .tools mqtt@5.16.0 at the repository root.");
        }

        var dir = new TempDirectory("mqttjs");
        var script = dir.File("peer.js");
        File.WriteAllText(script, Script);
        var (cert, key) = broker.IssueDevice(clientId);
        var start = new ProcessStartInfo(
            "node", [script, mode, $"mqtts://{broker.Host}:{broker.Port}", broker.CaFile, cert, key, clientId, topic, arg, clean ? "clean" : "keep"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NODE_PATH"] = nodeModules;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("node is not installed (apt-get install nodejs): the MQTT.js interop tests need it.", e);
        }

        var peer = new MqttJsPeer(process, dir);
        process.OutputDataReceived += (_, e) => peer.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                peer._errors.Enqueue(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        if (!line.Contains("\"message\"", StringComparison.Ordinal))
        {
            _events.Enqueue(line);
            return;
        }

        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        _messages.Enqueue((root.GetProperty("topic").GetString()!, Convert.FromBase64String(root.GetProperty("payload").GetString()!)));
    }

    private Task WaitForEventAsync(string marker, TimeSpan timeout) => Eventually.UntilAsync(
        () =>
        {
            if (_events.Any(e => e.Contains(marker, StringComparison.Ordinal)))
            {
                return true;
            }

            if (!_process.HasExited)
            {
                return false;
            }

            _process.WaitForExit(); // drains the redirected output
            return _events.Any(e => e.Contains(marker, StringComparison.Ordinal))
                ? true
                : throw new InvalidOperationException($"MQTT.js peer exited ({_process.ExitCode}): {Errors}");
        },
        timeout,
        $"MQTT.js peer reported {marker}",
        () => $"{Errors} {string.Join('\n', _events)}");

    public static string Text(byte[] payload) => Encoding.UTF8.GetString(payload);
}

using System.Text.RegularExpressions;

namespace ShelfAgent.LocalIot.Broker;

/// <summary>
/// Reads the operations of every client from mosquitto 2.0's debug log (log_type debug, connection_messages true).
/// Lines it understands, as mosquitto 2.0.11 writes them after the "&lt;epoch&gt;: " prefix:
/// <code>
/// New client connected from 127.0.0.1:40974 as pubx (p5, c1, k60, u'thing-1').
/// Will message specified (4 bytes) (r1, q1).
/// 	a/will
/// Received PUBLISH from pubx (d0, q1, r1, m1, 'a/b', ... (2 bytes))
/// Denied PUBLISH from pubx (d0, q1, r0, m1, 'a/b', ... (2 bytes))
/// Received SUBSCRIBE from subx
/// 	a/# (QoS 1)
/// Sending PUBLISH to subx (d0, q1, r0, m1, 'a/b', ... (2 bytes))
/// </code>
/// Pure: lines in, operations out. <see cref="Add"/> takes the log in pieces (a follower reading what was appended);
/// a will whose topic line has not come yet is held back, so a reader never sees it without its topic.
/// </summary>
public sealed partial class MosquittoLog
{
    private readonly List<MqttOperation> _operations = [];
    private readonly Dictionary<string, string?> _users = new(StringComparer.Ordinal);
    private string? _willClient;
    private string? _subscribeClient;

    /// <summary>Every operation parsed so far, in log order (a will waiting for its topic line is left out).</summary>
    public IReadOnlyList<MqttOperation> Operations => _willClient is null ? _operations : _operations[..^1];

    /// <summary>All operations in <paramref name="lines"/>.</summary>
    public static IReadOnlyList<MqttOperation> Parse(IEnumerable<string> lines)
    {
        var log = new MosquittoLog();
        log.Add(lines);
        return log.Operations;
    }

    /// <summary>Parses more (complete) lines of the same log.</summary>
    public void Add(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var operations = _operations;
        var users = _users;
        var willClient = _willClient;
        var subscribeClient = _subscribeClient;
        foreach (var raw in lines)
        {
            var line = StripPrefix(raw);
            if (line.StartsWith('\t'))
            {
                var body = line[1..];
                if (willClient is not null)
                {
                    operations[^1] = operations[^1] with { Topic = body };
                    willClient = null;
                }
                else if (subscribeClient is not null && SubscribeFilter().Match(body) is { Success: true } f)
                {
                    operations.Add(new MqttOperation(
                        MqttOperationKind.Subscribe, subscribeClient, users.GetValueOrDefault(subscribeClient), f.Groups[1].Value));
                }

                continue;
            }

            willClient = null;
            if (line.StartsWith("Received SUBSCRIBE from ", StringComparison.Ordinal))
            {
                subscribeClient = line["Received SUBSCRIBE from ".Length..];
                continue;
            }

            // Per-filter lines ("client 1 a/#") follow inside a SUBSCRIBE block; anything else ends it.
            if (subscribeClient is not null && !line.StartsWith(subscribeClient + " ", StringComparison.Ordinal))
            {
                subscribeClient = null;
            }

            if (Connected().Match(line) is { Success: true } c)
            {
                var client = c.Groups[1].Value;
                var user = c.Groups[2].Success ? c.Groups[2].Value : null;
                users[client] = user;
                operations.Add(new MqttOperation(MqttOperationKind.Connect, client, user, ""));
                // The will lines, if any, follow at once for this client.
                willClient = null;
                continue;
            }

            if (Will().Match(line) is { Success: true } w && operations.Count > 0 && operations[^1].Kind == MqttOperationKind.Connect)
            {
                var connect = operations[^1];
                operations.Add(new MqttOperation(MqttOperationKind.Will, connect.ClientId, connect.Username, "", Retain: w.Groups[1].Value == "1"));
                willClient = connect.ClientId;
                continue;
            }

            if (Publish().Match(line) is { Success: true } p)
            {
                var direction = p.Groups[1].Value;
                var client = p.Groups[2].Value;
                var kind = direction == "Sending PUBLISH to" ? MqttOperationKind.Receive : MqttOperationKind.Publish;
                operations.Add(new MqttOperation(kind, client, users.GetValueOrDefault(client), p.Groups[4].Value,
                    Retain: p.Groups[3].Value == "1", Denied: direction == "Denied PUBLISH from"));
            }
        }

        _willClient = willClient;
        _subscribeClient = subscribeClient;
    }

    private static string StripPrefix(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && line[..colon].All(char.IsAsciiDigit) ? line[(colon + 2)..] : line;
    }

    [GeneratedRegex(@"^New client connected from \S+ as (.+?) \(p\d+, c\d+, k\d+(?:, u'(.*)')?\)\.$")]
    private static partial Regex Connected();

    [GeneratedRegex(@"^Will message specified \(\d+ bytes\) \(r(\d), q\d\)\.$")]
    private static partial Regex Will();

    [GeneratedRegex(@"^(Received PUBLISH from|Denied PUBLISH from|Sending PUBLISH to) (.+?) \(d\d, q\d, r(\d), m\d+, '(.*)', \.\.\. \(\d+ bytes\)\)$")]
    private static partial Regex Publish();

    [GeneratedRegex(@"^(.*) \(QoS \d+\)$")]
    private static partial Regex SubscribeFilter();
}

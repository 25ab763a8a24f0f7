using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using MQTTnet;
using ShelfAgent.Cloud;

namespace ShelfAgent.LocalLake.Ingest;

/// <summary>
/// Fills the raw tables from what devices publish on a broker (<c>local-lake listen</c>), as the cloud's IoT rules and
/// Firehose transforms do: the topics the rules take (<see cref="Filters"/>), each message turned into rows by
/// <see cref="MessageRows"/> with its arrival time, a message whose store or thing disagrees with its topic refused
/// (counted, not written), and the rows flushed to Parquet every <c>flushEvery</c>, so a crash loses at most that much.
/// </summary>
public static class BrokerIngest
{
    /// <summary>The device topics the cloud's rules take into the lake (Cloud/Ingest/RuleSql.cs): telemetry, events, alerts, forecasts.</summary>
    public static IReadOnlyList<string> Filters { get; } = [Topics.Telemetry, Topics.Events, Topics.Alerts, Topics.Forecast];

    /// <summary>What a listen did.</summary>
    /// <param name="Messages">Messages received.</param>
    /// <param name="Refused">Messages not written (not JSON, malformed, topic and payload disagree).</param>
    /// <param name="Rows">Rows written per raw table (readings, events, forecasts).</param>
    public sealed record Totals(long Messages, long Refused, IReadOnlyDictionary<string, long> Rows);

    /// <summary>
    /// Takes messages from <paramref name="messages"/> until <paramref name="cancellationToken"/> is cancelled, the channel
    /// completes or <paramref name="connected"/> says the connection is gone; flushes every <paramref name="flushEvery"/> and
    /// at the end. <paramref name="report"/> gets a line per flush that wrote rows and per refused message.
    /// </summary>
    public static async Task<Totals> RunAsync(
        RawRowBuffer buffer, ChannelReader<MqttApplicationMessage> messages, Func<bool> connected, TimeProvider time, TimeSpan flushEvery,
        Action<string> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(connected);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(report);
        var rows = new Dictionary<string, long>(StringComparer.Ordinal) { ["readings"] = 0, ["events"] = 0, ["forecasts"] = 0 };
        long received = 0, refused = 0;
        var due = time.GetUtcNow() + flushEvery;
        var open = true;
        while (open && !cancellationToken.IsCancellationRequested && connected())
        {
            while (messages.TryRead(out var message))
            {
                received++;
                if (!Take(buffer, message, time.GetUtcNow(), report))
                {
                    refused++;
                }
            }

            if (time.GetUtcNow() >= due)
            {
                Flush(buffer, rows, report);
                due = time.GetUtcNow() + flushEvery;
            }

            using var wait = new CancellationTokenSource(Max(due - time.GetUtcNow(), TimeSpan.Zero), time);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wait.Token);
            try
            {
                open = await messages.WaitToReadAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The flush is due, or the listen is over: both go round the loop once more.
            }
        }

        // What arrived before the stop is written, so a Ctrl+C loses nothing that reached us.
        while (messages.TryRead(out var last))
        {
            received++;
            if (!Take(buffer, last, time.GetUtcNow(), report))
            {
                refused++;
            }
        }

        Flush(buffer, rows, report);
        return new Totals(received, refused, rows);
    }

    private static bool Take(RawRowBuffer buffer, MqttApplicationMessage message, DateTimeOffset now, Action<string> report)
    {
        if (!TopicIdentity.TryParse(message.Topic, out var store, out var thing))
        {
            report($"listen: refused a message on {message.Topic}: not a device topic");
            return false;
        }

        try
        {
            // Parsed whole before any row is held: a bad message adds nothing.
            var rows = MessageRows.Of(message.Payload.ToArray(), now, store, thing).ToList();
            foreach (var (table, row) in rows)
            {
                buffer.Add(table, row);
            }

            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException or FormatException)
        {
            report($"listen: refused a message on {message.Topic}: {e.Message}");
            return false;
        }
    }

    private static void Flush(RawRowBuffer buffer, Dictionary<string, long> rows, Action<string> report)
    {
        if (buffer.Pending == 0)
        {
            return;
        }

        var written = buffer.Flush();
        foreach (var (table, count) in written)
        {
            rows[table] += count;
        }

        report("listen: wrote " + string.Join(", ", written.Select(p => $"{p.Value} {p.Key} rows")));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

using System.Globalization;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using MQTTnet.Exceptions;
using ShelfAgent.LocalIot;
using ShelfAgent.Transport;

namespace ShelfAgent.LocalLake.Ingest;

/// <summary>
/// <c>listen</c> over a connection that comes and goes: subscribes to <see cref="BrokerIngest.Filters"/>, runs
/// <see cref="BrokerIngest.RunAsync"/> until the connection drops (which writes what it holds), says so in one line, and
/// connects again after the agent's own <see cref="Backoff"/> ceiling (no jitter: one listener, not a fleet) until the
/// token is cancelled. With a persistent session (<see cref="MqttTestClient.ConnectAsync"/>'s <c>persistentSession</c>)
/// the broker keeps the subscriptions and queues what devices publish at QoS 1 meanwhile, which arrives after the
/// reconnect. Delivery is at least once: a message whose PUBACK the drop cut off comes again (curation merges it).
/// </summary>
/// <param name="connect">Connects a new client (the same identity and session each time).</param>
/// <param name="broker">HOST:PORT, for the lines.</param>
/// <param name="backoff">The wait before each reconnect attempt (its <see cref="Backoff.Ceiling"/>).</param>
/// <param name="time">The clock of the flushes and of the waits.</param>
/// <param name="flushEvery">How often held rows are written.</param>
/// <param name="report">A line per flush, refused message, lost connection and reconnect attempt.</param>
public sealed class ReconnectingIngest(
    Func<CancellationToken, Task<MqttTestClient>> connect, string broker, Backoff backoff, TimeProvider time, TimeSpan flushEvery,
    Action<string> report)
{
    /// <summary>How a listen ended.</summary>
    /// <param name="Totals">What all its connections took, summed.</param>
    /// <param name="Reconnects">Connections made after the first.</param>
    /// <param name="Refused">The subscription the broker refused ("filter (reason)"), which ends the listen; null when stopped.</param>
    public sealed record Outcome(BrokerIngest.Totals Totals, int Reconnects, string? Refused);

    /// <summary>
    /// Takes what <paramref name="first"/> (connected, not yet subscribed) and its successors receive into
    /// <paramref name="buffer"/> until <paramref name="cancellationToken"/> is cancelled or the broker refuses a
    /// subscription (a policy that will not change by retrying). Disposes every client it was given or made.
    /// </summary>
    public async Task<Outcome> RunAsync(MqttTestClient first, RawRowBuffer buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(buffer);
        var rows = new Dictionary<string, long>(StringComparer.Ordinal) { ["readings"] = 0, ["events"] = 0, ["forecasts"] = 0 };
        long messages = 0, refused = 0;
        var reconnects = 0;
        var attempt = 0;
        var client = first;
        try
        {
            while (client is not null)
            {
                var connectedAt = time.GetTimestamp();
                string? denied;
                try
                {
                    denied = await SubscribeAsync(client, cancellationToken).ConfigureAwait(false);
                }
                catch (MqttCommunicationException) when (!client.IsConnected)
                {
                    denied = null; // lost between CONNACK and SUBACK: the run below ends at once, the loop reconnects
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    break; // stopped between CONNACK and SUBACK: nothing is held (the last run wrote what it had)
                }

                if (denied is not null)
                {
                    return new Outcome(new BrokerIngest.Totals(messages, refused, rows), reconnects, denied);
                }

                var run = await BrokerIngest.RunAsync(buffer, client.Received, () => client.IsConnected, time, flushEvery, report, cancellationToken)
                    .ConfigureAwait(false);
                messages += run.Messages;
                refused += run.Refused;
                foreach (var (table, count) in run.Rows)
                {
                    rows[table] = rows.GetValueOrDefault(table) + count;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                // A connection the broker drops right after accepting it (a policy refusing something) must not reset the
                // wait, or listen would reconnect every second for ever: the agent's rule (Backoff.AfterConnection).
                attempt = Backoff.AfterConnection(attempt, time.GetElapsedTime(connectedAt), backoff.Ceiling(int.MaxValue));
                report($"listen: lost the connection to {broker} (what arrived is written); reconnecting in {Seconds(backoff.Ceiling(attempt))}");
                await client.DisposeAsync().ConfigureAwait(false);
                client = null;
                (client, attempt) = await ReconnectAsync(attempt, cancellationToken).ConfigureAwait(false);
                reconnects += client is null ? 0 : 1;
            }
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new Outcome(new BrokerIngest.Totals(messages, refused, rows), reconnects, null);
    }

    /// <summary>Subscribes to every filter; the first refused one ("filter (reason)"), or null when all are granted.</summary>
    private static async Task<string?> SubscribeAsync(MqttTestClient client, CancellationToken cancellationToken)
    {
        foreach (var filter in BrokerIngest.Filters)
        {
            // Granted QoS 0, 1 or 2 (MQTT 5 §3.9.3); 0x80 and above refuse.
            var granted = await client.SubscribeAsync(filter, cancellationToken).ConfigureAwait(false);
            if ((int)granted > 2)
            {
                return $"{filter} ({granted})";
            }
        }

        return null;
    }

    /// <summary>
    /// Waits and connects until it succeeds (the client) or the token is cancelled (null); with the attempt number reached,
    /// which the next drop goes on from unless the connection proved stable.
    /// </summary>
    private async Task<(MqttTestClient? Client, int Attempt)> ReconnectAsync(int attempt, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await Task.Delay(backoff.Ceiling(attempt), time, cancellationToken).ConfigureAwait(false);
                var client = await connect(cancellationToken).ConfigureAwait(false);
                report(client.SessionPresent
                    ? $"listen: reconnected to {broker}; the broker kept the session: what devices published at QoS 1 meanwhile follows"
                    : $"listen: reconnected to {broker} with a new session: what was published meanwhile is not in the lake");
                return (client, attempt);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return (null, attempt);
            }
            catch (Exception e) when (e is MqttCommunicationException or IOException or SocketException or AuthenticationException
                                          or CryptographicException or OperationCanceledException)
            {
                // OperationCanceledException here is MQTTnet's own connect timeout, not ours. A certificate that no longer
                // loads (rotated mid-write) or a broker that refuses is worth retrying: the operator stops listen with Ctrl+C.
                attempt = Math.Min(attempt + 1, 62);
                report($"listen: cannot reconnect to {broker}: {e.Message}; again in {Seconds(backoff.Ceiling(attempt))}");
            }
        }
    }

    private static string Seconds(TimeSpan delay) => delay.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}

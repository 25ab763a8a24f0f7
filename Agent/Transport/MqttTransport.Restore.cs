namespace ShelfAgent.Transport;

/// <summary>
/// Subscriptions after a reconnect: made again when the broker lost the session, and the "subscriptions restored"
/// signal that requests whose replies come on subscribed topics wait for.
/// </summary>
public sealed partial class MqttTransport
{
    /// <summary>
    /// Completes once the transport is connected and every subscription it holds is in place on that connection: at once
    /// when the broker kept the session, else once the subscriptions made again after the reconnect are acknowledged
    /// (SUBACK). Waits across connections that end before that. A request whose reply comes on a subscribed topic
    /// (AWS IoT's request/reply APIs) must not go out earlier: the broker would route the reply to nobody.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled, or the transport stopped.</exception>
    public async Task WaitSubscriptionsRestoredAsync(CancellationToken cancellationToken)
    {
        var connection = Volatile.Read(ref _connection) ?? await CurrentAsync(cancellationToken).ConfigureAwait(false);
        await SubscribedConnectionAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first connection from <paramref name="connection"/> on whose subscriptions are all in place.</summary>
    private async Task<ConnectionState> SubscribedConnectionAsync(ConnectionState connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.WhenAny(connection.SubscriptionsRestored, connection.EndedTask).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (connection.SubscriptionsRestored.IsCompleted)
            {
                return connection;
            }

            if (Volatile.Read(ref _stopped))
            {
                throw new OperationCanceledException("The MQTT transport stopped.");
            }

            connection = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Without a session (CONNACK Session Present 0) the broker forgot our subscriptions: send them again, at most 8
    /// filters per SUBSCRIBE (AWS IoT Core's limit). In the background, so the Connected handlers are not held up; the
    /// connection's <see cref="ConnectionState.SubscriptionsRestored"/> completes when all are acknowledged. A restore
    /// that fails on a connection still up (no SUBACK within the write timeout) replaces the connection, as a missing
    /// PUBACK does: the next one restores them, and whoever waits for them is not left waiting on this one.
    /// </summary>
    private void RestoreSubscriptions(ConnectionState connection)
    {
        Subscription[] all;
        lock (_sync)
        {
            // Only those the broker confirmed before: a subscription still being made is sent by its own caller.
            all = [.. _subscriptions.Values.Where(s => s.Confirmed)];
        }

        if (connection.SessionPresent || all.Length == 0)
        {
            connection.MarkSubscriptionsRestored();
            return;
        }

        _ = Task.Run(async () =>
        {
            foreach (var chunk in all.Chunk(connection.SubscriptionIdentifiers ? 1 : 8))
            {
                try
                {
                    var result = await SubscribeOnAsync(connection, chunk, connection.Ended).ConfigureAwait(false);
                    foreach (var (item, subscription) in result.Items.Zip(chunk))
                    {
                        if ((int)item.ResultCode >= 0x80)
                        {
                            DropRefused(subscription, item.ResultCode);
                        }
                    }
                }
#pragma warning disable CA1031 // A failed restore is logged; the next connection tries again.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    if (!connection.Ended.IsCancellationRequested)
                    {
                        TransportLog.RestoreFailed(_log, string.Join(", ", chunk.Select(s => s.Filter)), e.Message);
                        connection.Channel?.Dispose();
                    }

                    return;
                }
            }

            connection.MarkSubscriptionsRestored();
            TransportLog.SubscriptionsRestored(_log, all.Length);
        });
    }
}

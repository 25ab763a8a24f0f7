using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using ShelfAgent.Contract;
using ShelfAgent.Transport;

namespace ShelfAgent.Pipeline;

/// <summary>
/// Keeps the MQTT connection up for the agent's lifetime and announces the device: after every connect
/// it publishes <c>{"online":true,…}</c> (retained) on the status topic, where the broker's last will
/// puts <c>{"online":false}</c> if the device vanishes. A clean stop publishes <c>{"online":false,"ts":…,"version":…}</c>
/// (retained) itself before the orderly DISCONNECT, which makes the broker discard the will: otherwise the retained
/// status of a stopped device would stay <c>online:true</c>. The time tells a stop from a vanishing, which has none.
/// </summary>
public sealed partial class ConnectionService(MqttTransport client, Topics topics, TimeProvider time, ILogger<ConnectionService> logger) : IHostedService
{
    /// <summary>The will registered in CONNECT: what the broker publishes when the device vanishes (no time: the broker knows none).</summary>
    public static byte[] OfflinePayload { get; } = """{"online":false}"""u8.ToArray();

    /// <summary>How long a stop waits for the PUBACK of the offline status: a stop never waits for the network.</summary>
    private static readonly TimeSpan OfflineAnnounceLimit = TimeSpan.FromSeconds(3);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        client.Connected += OnConnectedAsync;
        await client.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        client.Connected -= OnConnectedAsync;
        await AnnounceOfflineAsync(cancellationToken).ConfigureAwait(false);
        await client.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    // Only on a live connection and within a bound; when it cannot be said (offline, refused, slow), the status stays as
    // it was: the broker already published the will if the connection was lost.
    private async Task AnnounceOfflineAsync(CancellationToken cancellationToken)
    {
        if (!client.IsConnected)
        {
            return;
        }

        using var bound = new CancellationTokenSource(OfflineAnnounceLimit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        try
        {
            await client.PublishAsync(topics.Status, StatusPayload(online: false, time.GetUtcNow()), MqttQualityOfServiceLevel.AtLeastOnce, true, linked.Token)
                .ConfigureAwait(false);
            LogOfflineAnnounced(logger, topics.Status);
        }
        catch (Exception e) when (e is OperationCanceledException or MqttException)
        {
            LogOfflineAnnounceFailed(logger, e.Message);
        }
    }

    private Task OnConnectedAsync(MqttConnectedEventArgs args)
    {
        LogConnected(logger, args.SessionPresent);
        // Not awaited: the connected handler must not wait on the connection's own PUBACK.
        _ = AnnounceAsync();
        return Task.CompletedTask;
    }

    private async Task AnnounceAsync()
    {
        try
        {
            var payload = StatusPayload(online: true, time.GetUtcNow());
            await client.PublishAsync(topics.Status, payload, MqttQualityOfServiceLevel.AtLeastOnce, true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogAnnounceFailed(logger, e);
        }
    }

    /// <summary><c>{"online":true|false,"ts":"…","version":"…"}</c>: after a connect, or at a clean stop.</summary>
    public static byte[] StatusPayload(bool online, DateTimeOffset now)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("online"u8, online);
            writer.WriteString("ts"u8, WireFormat.Timestamp(now));
            writer.WriteString("version"u8, AgentVersion.Current);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Connected to the broker (session present: {SessionPresent})")]
    private static partial void LogConnected(ILogger logger, bool sessionPresent);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Could not publish the online status")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Published online:false (retained) on {Topic} before disconnecting")]
    private static partial void LogOfflineAnnounced(ILogger logger, string topic);

    [LoggerMessage(
        EventId = 1004,
        Level = LogLevel.Warning,
        Message = "Could not publish the offline status before disconnecting ({Reason}); the retained status may still say online")]
    private static partial void LogOfflineAnnounceFailed(ILogger logger, string reason);
}

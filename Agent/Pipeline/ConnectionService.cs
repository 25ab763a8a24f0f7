using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Contract;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.Pipeline;

/// <summary>
/// Keeps the MQTT connection up for the agent's lifetime and announces the device: after every connect
/// it publishes <c>{"online":true,…}</c> (retained) on the status topic, where the broker's last will
/// puts <c>{"online":false}</c> if the device vanishes. Stops with an orderly DISCONNECT.
/// </summary>
public sealed partial class ConnectionService(MqttTransport client, Topics topics, TimeProvider time, ILogger<ConnectionService> logger) : IHostedService
{
    /// <summary>The will registered in CONNECT.</summary>
    public static byte[] OfflinePayload { get; } = """{"online":false}"""u8.ToArray();

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
        await client.StopAsync(cancellationToken).ConfigureAwait(false);
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
            var payload = OnlinePayload(time.GetUtcNow());
            await client.PublishAsync(topics.Status, payload, MqttQualityOfServiceLevel.AtLeastOnce, true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogAnnounceFailed(logger, e);
        }
    }

    /// <summary><c>{"online":true,"ts":"…","version":"…"}</c>.</summary>
    public static byte[] OnlinePayload(DateTimeOffset now)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("online"u8, true);
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
}

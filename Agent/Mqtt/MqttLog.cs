using Microsoft.Extensions.Logging;

namespace ShelfAgent.Mqtt;

/// <summary>Log events of the MQTT client (source-generated, structured). Event ids 2000–2099.</summary>
internal static partial class MqttLog
{
    [LoggerMessage(2000, LogLevel.Information, "MQTT connected to {Host}:{Port} as {ClientId} (session present: {SessionPresent}, resending {Resent} publishes)")]
    public static partial void Connected(ILogger log, string host, int port, string clientId, bool sessionPresent, int resent);

    [LoggerMessage(2001, LogLevel.Warning, "MQTT connection to {Host}:{Port} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger log, string host, int port, string reason);

    [LoggerMessage(2002, LogLevel.Warning, "MQTT connect attempt {Attempt} to {Host}:{Port} failed, retrying in {DelayMs} ms: {Reason}")]
    public static partial void ConnectFailed(ILogger log, int attempt, string host, int port, long delayMs, string reason);

    [LoggerMessage(2003, LogLevel.Error, "MQTT internal loop failed unexpectedly; the connection is reset")]
    public static partial void UnexpectedLoopFailure(ILogger log, Exception exception);

    [LoggerMessage(2004, LogLevel.Error, "MQTT message handler for {Filter} failed on topic {Topic}; the message is acknowledged anyway")]
    public static partial void HandlerFailed(ILogger log, Exception exception, string filter, string topic);

    [LoggerMessage(2005, LogLevel.Warning, "MQTT broker refused subscription {Filter} (SUBACK 0x80)")]
    public static partial void SubscriptionRefused(ILogger log, string filter);

    [LoggerMessage(2006, LogLevel.Debug, "MQTT {Packet} for unknown packet id {PacketId} ignored")]
    public static partial void UnknownPacketId(ILogger log, string packet, int packetId);

    [LoggerMessage(2007, LogLevel.Warning, "MQTT protocol violation from {Host}:{Port}, resetting the connection: {Reason}")]
    public static partial void ProtocolViolation(ILogger log, string host, int port, string reason);

    [LoggerMessage(2008, LogLevel.Information, "MQTT client stopped")]
    public static partial void Stopped(ILogger log);

    [LoggerMessage(2009, LogLevel.Error, "MQTT event handler {Event} failed")]
    public static partial void EventHandlerFailed(ILogger log, Exception exception, string @event);
}

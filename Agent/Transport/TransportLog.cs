using Microsoft.Extensions.Logging;

namespace ShelfAgent.Transport;

/// <summary>Log events of the MQTT transport (source-generated, structured). Event ids 2000–2099.</summary>
internal static partial class TransportLog
{
    [LoggerMessage(
        2000,
        LogLevel.Information,
        "MQTT connected to {Host}:{Port} as {ClientId} ({Protocol}, session present: {SessionPresent}, in-flight window {Window}, topic aliases {Aliases})")]
    public static partial void Connected(
        ILogger log, string host, int port, string clientId, string protocol, bool sessionPresent, int window, int aliases);

    [LoggerMessage(2001, LogLevel.Warning, "MQTT connection to {Host}:{Port} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger log, string host, int port, string reason);

    [LoggerMessage(2002, LogLevel.Warning, "MQTT connect attempt {Attempt} to {Host}:{Port} failed, retrying in {DelayMs} ms: {Reason}")]
    public static partial void ConnectFailed(ILogger log, int attempt, string host, int port, long delayMs, string reason);

    [LoggerMessage(2003, LogLevel.Warning, "MQTT broker {Host}:{Port} ended the connection: {Reason}")]
    public static partial void DisconnectedByBroker(ILogger log, string host, int port, string reason);

    [LoggerMessage(2004, LogLevel.Error, "MQTT message handler for {Filter} failed on topic {Topic}; the message is acknowledged anyway")]
    public static partial void HandlerFailed(ILogger log, Exception exception, string filter, string topic);

    [LoggerMessage(2005, LogLevel.Warning, "MQTT broker refused subscription {Filter}: {Reason}")]
    public static partial void SubscriptionRefused(ILogger log, string filter, string reason);

    [LoggerMessage(2006, LogLevel.Information, "MQTT connection had stayed up {UpMs} ms; reconnecting in {DelayMs} ms")]
    public static partial void Reconnecting(ILogger log, long upMs, long delayMs);

    [LoggerMessage(2007, LogLevel.Warning, "MQTT protocol violation from {Host}:{Port}, resetting the connection: {Reason}")]
    public static partial void ProtocolViolation(ILogger log, string host, int port, string reason);

    [LoggerMessage(2008, LogLevel.Information, "MQTT transport stopped")]
    public static partial void Stopped(ILogger log);

    [LoggerMessage(2009, LogLevel.Error, "MQTT event handler {Event} failed")]
    public static partial void EventHandlerFailed(ILogger log, Exception exception, string @event);

    [LoggerMessage(
        2010,
        LogLevel.Warning,
        "MQTT broker refused a publish to {Topic}: {Reason}{ReasonString}. The readings stay buffered and the agent backs off. Hint: {Hint}")]
    public static partial void PublishRefused(ILogger log, string topic, string reason, string reasonString, string hint);

    [LoggerMessage(2011, LogLevel.Debug, "MQTT broker refused a publish to {Topic} again: {Reason}")]
    public static partial void PublishRefusedAgain(ILogger log, string topic, string reason);

    [LoggerMessage(2012, LogLevel.Warning, "MQTT could not restore subscriptions {Filters}, replacing the connection: {Reason}")]
    public static partial void RestoreFailed(ILogger log, string filters, string reason);

    [LoggerMessage(2013, LogLevel.Debug, "MQTT DISCONNECT could not be sent: {Reason}")]
    public static partial void DisconnectFailed(ILogger log, string reason);

    [LoggerMessage(
        2014,
        LogLevel.Information,
        "MQTT subscriptions restored: the broker had lost the session; {Count} filters subscribed again and acknowledged")]
    public static partial void SubscriptionsRestored(ILogger log, int count);

    [LoggerMessage(
        2015,
        LogLevel.Warning,
        "MQTT broker {Host}:{Port} has closed the connection {Count} times in a row, each within {StableSeconds} s of connecting and without a reason: " +
        "another client is most likely connecting with client id {ClientId} and taking over the session — " +
        "two devices, or two agents, with the same Device:ThingName knock each other off. " +
        "Stop one or give it its own thing name (otherwise the broker's policy closes this client: see the broker log)")]
    public static partial void SessionTakenOverLikely(ILogger log, string host, int port, int count, int stableSeconds, string clientId);
}

using ShelfAgent.Stock;

namespace ShelfAgent.Outbox;

/// <summary>
/// An event, alert or forecast waiting in the outbox's first lane, kept as data: the stock message itself. The wire
/// payload is built when it is published, where telemetry is encoded (<c>ShelfAgent.Contract</c>), so the outbox
/// knows nothing of the contract with the cloud. Rows written by schema 1 held the wire payload already; they come
/// back with <see cref="Message"/> null and <see cref="WirePayload"/> set, and are published verbatim.
/// </summary>
public sealed record OutboxEvent
{
    /// <summary>An item for <paramref name="message"/>; its kind follows from its type.</summary>
    public OutboxEvent(IStockMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Message = message;
        Timestamp = message.Timestamp;
        Kind = OutboxEventKinds.Of(message);
    }

    private OutboxEvent(DateTimeOffset timestamp, OutboxEventKind kind, string wirePayload)
    {
        Timestamp = timestamp;
        Kind = kind;
        WirePayload = wirePayload;
    }

    /// <summary>When it happened (UTC).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Picks the topic and the lane's counters; stored as its text (<see cref="OutboxEventKinds.Text"/>).</summary>
    public OutboxEventKind Kind { get; }

    /// <summary>The stock message; null only for a row written by schema 1.</summary>
    public IStockMessage? Message { get; }

    /// <summary>A schema-1 row's payload, published as it was stored; null for every row written since.</summary>
    public string? WirePayload { get; }

    /// <summary>A row written by outbox schema 1, which stored the encoded payload.</summary>
    internal static OutboxEvent FromSchema1(DateTimeOffset timestamp, OutboxEventKind kind, string wirePayload) => new(timestamp, kind, wirePayload);
}

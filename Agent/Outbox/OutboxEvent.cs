namespace ShelfAgent.Outbox;

/// <summary>An event or alert waiting in the outbox's first lane. The payload is stored and published verbatim.</summary>
/// <param name="Timestamp">When it happened (UTC).</param>
/// <param name="Kind"><see cref="OutboxEventKinds.Events"/>, <see cref="OutboxEventKinds.Alerts"/> or <see cref="OutboxEventKinds.Forecasts"/>: the topic suffix.</param>
/// <param name="PayloadJson">The complete JSON document to publish (shelf.event.v1, shelf.alert.v1 or shelf.forecast.v1).</param>
public sealed record OutboxEvent(DateTimeOffset Timestamp, string Kind, string PayloadJson);

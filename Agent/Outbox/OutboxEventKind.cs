namespace ShelfAgent.Outbox;

/// <summary>
/// What a first-lane outbox row holds, and so the topic it is published on. Stored in the <c>event.kind</c> column as
/// its text (<see cref="OutboxEventKinds.Text"/>: "events", "alerts", "forecast"), parsed once when a row is read.
/// </summary>
public enum OutboxEventKind
{
    /// <summary>Pick/restock events, dt/shelf/{store}/{thing}/events (shelf.event.v1).</summary>
    Events,

    /// <summary>Low/empty/prediction/sensor-fault alerts, dt/shelf/{store}/{thing}/alerts (shelf.alert.v1).</summary>
    Alerts,

    /// <summary>Forecasts, dt/shelf/{store}/{thing}/forecast (shelf.forecast.v1).</summary>
    Forecast,
}

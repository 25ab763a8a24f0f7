namespace ShelfAgent.Fleet;

/// <summary>A short-lived MQTT connection of its own (provisioning with the claim, checking a new identity); disposing disconnects.</summary>
public interface IFleetConnection : IMqttSession, IAsyncDisposable;

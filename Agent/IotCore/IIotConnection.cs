namespace ShelfAgent.IotCore;

/// <summary>A short-lived MQTT connection of its own (provisioning with the claim, checking a new identity); disposing disconnects.</summary>
public interface IIotConnection : IMqttSession, IAsyncDisposable;

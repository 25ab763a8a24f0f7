namespace ShelfAgent.Mqtt.Channel;

/// <summary>Opens a new channel to the broker described by the options (one per connection attempt).</summary>
public interface IMqttChannelFactory
{
    /// <summary>Connects (TCP + TLS handshake) and returns a ready channel, or throws one of our exceptions.</summary>
    ValueTask<IMqttChannel> ConnectAsync(MqttClientOptions options, CancellationToken cancellationToken);
}

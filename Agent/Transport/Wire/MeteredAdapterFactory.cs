using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;

namespace ShelfAgent.Transport.Wire;

/// <summary>
/// Builds MQTTnet's own adapter and TCP+TLS channel for each connection, with our <see cref="MeteredChannel"/>
/// between them, and remembers the latest so the transport can pace against it.
/// </summary>
internal sealed class MeteredAdapterFactory(MqttTransportOptions options, PublishRateLimiter rate, TimeProvider time) : IMqttClientAdapterFactory
{
    private MeteredChannel? _current;

    /// <summary>The channel of the latest connection attempt.</summary>
    public MeteredChannel? Current => Volatile.Read(ref _current);

    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions clientOptions, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        var guard = new IncomingFrameGuard(options.MaxIncomingPacketBytes, clientOptions.ProtocolVersion == MqttProtocolVersion.V500);
        var channel = new MeteredChannel(new MqttTcpChannel(clientOptions), guard, rate, time, options.WriteTimeout);
        Volatile.Write(ref _current, channel);
        var formatter = new MqttPacketFormatterAdapter(
            clientOptions.ProtocolVersion, new MqttBufferWriter(clientOptions.WriterBufferSize, clientOptions.WriterBufferSizeMax));
        return new MqttChannelAdapter(channel, formatter, logger)
        {
            // One write per packet: whole packets for the meter, and one TLS record per PUBLISH instead of two
            // (AWS IoT Core needs it, per MQTTnet's own documentation of WithoutPacketFragmentation).
            AllowPacketFragmentation = false,
            // No inspector: MQTTnet's copies every packet under the send lock.
        };
    }
}

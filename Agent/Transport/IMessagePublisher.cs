using MQTTnet.Protocol;

namespace ShelfAgent.Transport;

/// <summary>
/// The part of the connection the publishing loop uses: wait for a connection, wait for room under the rate
/// limits, publish and learn the outcome. <see cref="MqttTransport"/> implements it over MQTTnet; tests of the loop
/// implement it in memory, so the loop's rules (ack only at PUBACK, a failed publish goes back to the outbox, at most
/// <c>Mqtt:MaxInFlight</c> at once, the first lane first) are checked without a broker.
/// </summary>
public interface IMessagePublisher
{
    /// <summary>Completes when a connection is up (at once when it already is).</summary>
    Task WaitConnectedAsync(CancellationToken cancellationToken);

    /// <summary>Completes when at most <paramref name="atMost"/> publishes wait for the rate limits.</summary>
    Task WaitForSendRoomAsync(int atMost, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes one message. For QoS 1 it completes at PUBACK; it throws <see cref="MqttNotConnectedException"/> when
    /// the connection ended first and <see cref="MqttPublishRefusedException"/> when the broker refused it.
    /// </summary>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken cancellationToken);
}

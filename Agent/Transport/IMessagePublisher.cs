using MQTTnet.Protocol;

namespace ShelfAgent.Transport;

/// <summary>
/// The part of the connection the publishing loop uses: wait for a connection, wait for room under the rate
/// limits, publish and learn the outcome. <see cref="MqttTransport"/> implements it over MQTTnet; tests of the loop
/// implement it in memory, so the loop's rules (ack only at PUBACK, a failed publish goes back to the outbox, no more
/// under way than the connection's in-flight window, the first lane first) are checked without a broker.
/// </summary>
public interface IMessagePublisher
{
    /// <summary>Completes when a connection is up (at once when it already is).</summary>
    Task WaitConnectedAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Completes when the connection has room for another QoS 1 publish: fewer under way than its in-flight window
    /// (<c>Mqtt:MaxInFlight</c>, bounded by the broker's Receive Maximum) and at most <paramref name="atMost"/> waiting
    /// for the rate limits. The publisher's only bound on what it has in flight.
    /// </summary>
    Task WaitForSendRoomAsync(int atMost, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes one message. For QoS 1 it completes at PUBACK; it throws <see cref="MqttNotConnectedException"/> when
    /// the connection ended first and <see cref="MqttPublishRefusedException"/> when the broker refused it.
    /// </summary>
    Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken cancellationToken);
}

using System.Diagnostics;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// The publishing loop's view of the device's transport, with each publish's PUBACK latency (hand-over to
/// acknowledgement) counted for the fleet. Nothing else changes: the same transport sends the same packets.
/// </summary>
public sealed class TimedPublisher(IMessagePublisher inner, FleetMetrics metrics) : IMessagePublisher
{
    public Task WaitConnectedAsync(CancellationToken cancellationToken) => inner.WaitConnectedAsync(cancellationToken);

    public Task WaitForSendRoomAsync(int atMost, CancellationToken cancellationToken) => inner.WaitForSendRoomAsync(atMost, cancellationToken);

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await inner.PublishAsync(topic, payload, qos, retain, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MqttException && !cancellationToken.IsCancellationRequested)
        {
            metrics.PublishFailed(e is MqttNotConnectedException ? "publish-not-connected" : "publish-failed");
            throw;
        }

        metrics.Published(Stopwatch.GetElapsedTime(start));
    }
}

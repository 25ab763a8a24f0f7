using System.Diagnostics;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// The publishing loop's view of the device's transport, with each publish's PUBACK latency (hand-over to
/// acknowledgement) counted for the fleet. Nothing else changes: the same transport sends the same packets. Once the
/// fleet's stop is said (<see cref="FleetStopSignal"/>), the loop waits for send room until its own device stops.
/// </summary>
public sealed class TimedPublisher(IMessagePublisher inner, FleetMetrics metrics, FleetStopSignal? stop = null) : IMessagePublisher
{
    public Task WaitConnectedAsync(CancellationToken cancellationToken) => inner.WaitConnectedAsync(cancellationToken);

    public async Task WaitForSendRoomAsync(int atMost, CancellationToken cancellationToken)
    {
        await inner.WaitForSendRoomAsync(atMost, cancellationToken).ConfigureAwait(false);
        if (stop is not null)
        {
            await stop.HoldAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        stop?.Began();
        try
        {
            await inner.PublishAsync(topic, payload, qos, retain, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MqttException && !cancellationToken.IsCancellationRequested)
        {
            metrics.PublishFailed(e is MqttNotConnectedException ? "publish-not-connected" : "publish-failed");
            throw;
        }
        finally
        {
            stop?.Ended();
        }

        metrics.Published(Stopwatch.GetElapsedTime(start));
    }
}

using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.IotCore;

/// <summary>
/// A subscription a fleet API cannot work without (the jobs' notify-next, the shadow's delta), made until the broker
/// answers. A SUBSCRIBE whose SUBACK does not come in time (a loaded broker: MQTTnet's communication timeout) or whose
/// connection fails is sent again after a pause with full jitter, growing to 5 min, instead of failing the service and
/// with it the host: a fleet that subscribes at once against a busy broker must not lose devices to it, nor return in
/// step. A refusal (SUBACK ≥ 0x80) is an answer, returned as such.
/// </summary>
public static class SubscribeRetry
{
    private static readonly Backoff Pause = new(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));

    /// <summary>
    /// Subscribes, retrying what <see cref="IsTransient"/> says may pass; <paramref name="failed"/> hears each failure and the pause after it.
    /// </summary>
    public static async Task<MqttQualityOfServiceLevel?[]> SubscribeAsync(
        IMqttSession session,
        string filter,
        MqttQualityOfServiceLevel qos,
        Func<MqttApplicationMessage, ValueTask> handler,
        TimeProvider time,
        Action<Exception, TimeSpan> failed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(failed);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await session.SubscribeAsync(filter, qos, handler, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                var pause = Pause.Delay(attempt, Random.Shared.NextDouble());
                failed(e, pause);
                await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What a later SUBSCRIBE may get past: no SUBACK in time, the connection failing under it.</summary>
    public static bool IsTransient(Exception exception) => exception is MqttCommunicationException or TimeoutException or MqttException;
}

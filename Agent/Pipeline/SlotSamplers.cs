using Microsoft.Extensions.Logging;

namespace ShelfAgent.Pipeline;

/// <summary>
/// The slots' samplers as one container-owned object: their sensors hold GPIO lines and I2C buses open, so the
/// container disposes them at stop (after sampling has stopped, before the outbox closes).
/// </summary>
public sealed partial class SlotSamplers(IReadOnlyList<SlotSampler> samplers, ILogger<SlotSamplers> logger) : IAsyncDisposable
{
    /// <summary>One sampler per configured slot, in configuration order.</summary>
    public IReadOnlyList<SlotSampler> All => samplers;

    /// <summary>
    /// Closes every sensor (and with it its bus lines). A failing close is logged, not thrown: the container would
    /// stop disposing at the first exception and leave the outbox open.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var sampler in samplers)
        {
            try
            {
                await sampler.Sensor.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
            {
                LogCloseFailed(logger, sampler.Slot.Id, e);
            }
        }
    }

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Could not close the sensor of slot {SlotId}")]
    private static partial void LogCloseFailed(ILogger logger, string slotId, Exception exception);
}

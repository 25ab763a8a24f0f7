using Microsoft.Extensions.Hosting;
using ShelfAgent.Config.Runtime;
using ShelfAgent.Pipeline;
using ShelfAgent.Profiles;

namespace ShelfAgent.Composition;

/// <summary>
/// While the host runs, passes every configuration change the <see cref="RuntimeConfig"/> accepted (shadow,
/// config-update job) on to the sampling and publishing services, which take it without a restart.
/// </summary>
/// <param name="runtime">The runtime configuration.</param>
/// <param name="sampling">Sampling and the stock pipeline.</param>
/// <param name="publishing">Publishing.</param>
/// <param name="release">The profile release in use, kept by every rebuilt pipeline; null: none.</param>
public sealed class RuntimeReconfiguration(RuntimeConfig runtime, SamplingService sampling, PublishingService publishing, AppliedRelease? release = null)
    : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        runtime.Changed += OnChanged;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        runtime.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(ConfigChange change) => RuntimeComposition.Apply(change, sampling, publishing, release);
}

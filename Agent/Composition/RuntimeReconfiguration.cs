using Microsoft.Extensions.Hosting;
using ShelfAgent.Config.Runtime;
using ShelfAgent.Pipeline;

namespace ShelfAgent.Composition;

/// <summary>
/// While the host runs, passes every configuration change the <see cref="RuntimeConfig"/> accepted (shadow,
/// config-update job) on to the sampling and publishing services, which take it without a restart.
/// </summary>
public sealed class RuntimeReconfiguration(RuntimeConfig runtime, SamplingService sampling, PublishingService publishing) : IHostedService
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

    private void OnChanged(ConfigChange change) => RuntimeComposition.Apply(change, sampling, publishing);
}

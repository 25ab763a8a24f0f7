using System.Collections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Clock;
using ShelfAgent.Composition;
using ShelfAgent.Config;
using ShelfAgent.Config.Runtime;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Pipeline;
using ShelfAgent.Simulator.Scale;
using ShelfAgent.Transport;

namespace ShelfAgent.Simulator;

/// <summary>
/// One simulated shelf device: the agent's own pipeline (simulated load cells → outbox → our MQTT client), its
/// runtime configuration, shadow and jobs client, built by <see cref="AgentComposition"/> as <c>shelf-agent run</c>
/// builds it from the device's own agent.json, with its own certificate and client id. What a fleet shares is passed
/// in: the shop clock, the connect rate, the metrics. Two things are wrapped, not changed: the transport waits for the
/// fleet's connect rate before each attempt, and the publishing loop's publishes are timed. With <c>--outbox memory</c>
/// the outbox is a <see cref="MemoryOutbox"/> (the same contract, without SQLite).
/// </summary>
public sealed class VirtualDevice(RuntimeConfig runtime, IHost host, int fleetIndex) : IAsyncDisposable
{
    public AgentOptions Options => runtime.Current;

    public string Thing => runtime.Current.Device.ThingName;

    /// <summary>Position in this process's fleet (the metrics' index).</summary>
    public int Index => fleetIndex;

    /// <summary>What is shared by a fleet's devices.</summary>
    /// <param name="Fleet">The fleet's options.</param>
    /// <param name="ShopClock">The shop's accelerated clock (one for the fleet).</param>
    /// <param name="Loggers">Where log lines go.</param>
    /// <param name="Faults">Simulated sensor faults, counted.</param>
    /// <param name="Metrics">Connection states, publishes, latency.</param>
    /// <param name="ConnectRate">The fleet's CONNECT admission.</param>
    public sealed record FleetParts(
        FleetOptions Fleet, TimeProvider ShopClock, ILoggerFactory Loggers, FaultTally Faults, FleetMetrics Metrics, ConnectRate ConnectRate)
    {
        /// <summary>Warning lines printed before they are only counted (all with --verbose).</summary>
        public LogBudget Warnings { get; } = new(20);

        /// <summary>The fleet's stop, said to every device before the hosts stop.</summary>
        public FleetStopSignal Stopping { get; } = new();
    }

    /// <summary>What is this device's own.</summary>
    /// <param name="Index">Position in this process's fleet.</param>
    /// <param name="Config">Its agent.json's values.</param>
    /// <param name="ClockSkew">Added to the shop clock (a device whose clock is wrong).</param>
    /// <param name="NoRtc">A device without a battery-backed clock: the kernel never says its clock is synchronised.</param>
    /// <param name="DropsOut">One of --dropout-fraction: it reaches the broker through the drop-out relay.</param>
    public sealed record Own(int Index, DeviceConfigFile.Device Config, TimeSpan ClockSkew, bool NoRtc, bool DropsOut = false);

    public static async Task<VirtualDevice> CreateAsync(FleetParts shared, Own own, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shared);
        ArgumentNullException.ThrowIfNull(own);
        var fleet = shared.Fleet;
        var path = DeviceConfigFile.Write(own.Config, fleet);
        // No SHELFAGENT_ variables: the fleet's devices are configured by their files only.
        var (runtime, _) = await RuntimeConfig.OpenAsync(path, cancellationToken, new Hashtable()).ConfigureAwait(false);
        try
        {
            var options = runtime.Current;
            if (fleet.InMemoryOutbox)
            {
                // The in-memory outbox keeps no raw samples (nothing to upload): the pipeline then does not select them.
                options.Buffer.RawRetentionDays = 0;
            }

            var loggers = new DeviceLoggerFactory(
                shared.Loggers, own.Config.Thing, shared.Faults, fleet.LogEveryFault, shared.Metrics, own.Index, shared.Warnings);
            runtime.Logger = loggers.CreateLogger<RuntimeConfig>();
            var shop = own.ClockSkew == TimeSpan.Zero ? shared.ShopClock : new SkewedTimeProvider(shared.ShopClock, own.ClockSkew);
            var builder = await AgentComposition.CreateBuilderAsync(
                options,
                loggers.CreateLogger<SamplingService>(),
                TimeProvider.System,
                cancellationToken,
                shop,
                runtime: runtime,
                clockSync: own.NoRtc ? new NeverSynchronised() : null).ConfigureAwait(false);
            JobsComposition.AddJobs(builder.Services, options, new JobParts(runtime), TimeProvider.System);
            Wrap(builder.Services, options, shared, own.Index, shop);
            builder.Services.AddSingleton<ILoggerFactory>(loggers);
            builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
            var host = await AgentComposition.BuildAsync(builder, cancellationToken).ConfigureAwait(false);
            var transport = host.Services.GetRequiredService<MqttTransport>();
            transport.Connected += _ =>
            {
                shared.Metrics.Connected(own.Index);
                return Task.CompletedTask;
            };
            transport.Disconnected += args =>
            {
                if (args.Reason is not null)
                {
                    shared.Metrics.Disconnected(own.Index, "connection-lost");
                }

                return Task.CompletedTask;
            };
            var device = new VirtualDevice(runtime, host, own.Index);
            // A service that fails stops the agent's host, as on a real device; there systemd starts it again, here it
            // stays stopped for the rest of the run: counted, so a report shows it.
            host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() =>
            {
                if (!device._stopping)
                {
                    shared.Metrics.Error("device-stopped");
                }
            });
            return device;
        }
        catch
        {
            runtime.Dispose();
            throw;
        }
    }

    // Registered after the composition's own: the container resolves the last registration.
    private static void Wrap(IServiceCollection services, AgentOptions options, FleetParts shared, int index, TimeProvider shop)
    {
        var transportOptions = AgentComposition.TransportOptionsFrom(options, new Topics(options.Device.StoreId, options.Device.ThingName));
        transportOptions.BeforeConnect = async ct =>
        {
            shared.Metrics.SetState(index, DeviceState.Connecting);
            await shared.ConnectRate.WaitAsync(ct).ConfigureAwait(false);
            shared.Metrics.ConnectAttempt(index);
        };
        if (shared.Fleet.InMemoryOutbox)
        {
            services.AddSingleton<IOutbox>(sp => new MemoryOutbox(options.Buffer, shop, sp.GetRequiredService<ILogger<MemoryOutbox>>()));
        }

        services.AddSingleton(sp => new MqttTransport(transportOptions, TimeProvider.System, sp.GetRequiredService<ILogger<MqttTransport>>()));
        services.AddSingleton(sp => new PublishingService(
            sp.GetRequiredService<IOutbox>(),
            new TimedPublisher(sp.GetRequiredService<MqttTransport>(), shared.Metrics, shared.Stopping),
            AgentComposition.PublishSettingsFrom(options),
            shop,
            sp.GetRequiredService<ILogger<PublishingService>>(),
            sp.GetRequiredService<PipelineProgress>()));
    }

    public Task StartAsync(CancellationToken cancellationToken) => host.StartAsync(cancellationToken);

    private volatile bool _stopping;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        return host.StopAsync(cancellationToken);
    }

    /// <summary>Stops the device; false when a service did not stop within the agent's shutdown timeout (it is disposed anyway).</summary>
    public async Task<bool> TryStopAsync()
    {
        _stopping = true;
        try
        {
            await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OperationCanceledException))
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The device's background services whose loop has not ended (after a late stop: what held it up).</summary>
    public IReadOnlyList<string> StillRunning() =>
        [.. host.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Where(s => s.ExecuteTask is { IsCompleted: false }).Select(s => s.GetType().Name)];

    public T Service<T>() where T : class => host.Services.GetServices<IHostedService>().OfType<T>().Single();

    // Resolved once: the fleet's sampler reads every device's counters every second.
    private SamplingService Sampling => _sampling ??= host.Services.GetRequiredService<SamplingService>();

    private SamplingService? _sampling;

    private PublishingService? _publishing;

    /// <summary>Readings committed to the outbox to be published so far (with --readings summaries, the minutes' summaries).</summary>
    public long Committed => Sampling.Queued;

    /// <summary>Readings sampled and committed so far (every sample, published or kept on the device).</summary>
    public long Sampled => Sampling.Committed;

    /// <summary>Readings the broker acknowledged so far.</summary>
    public long Delivered => (_publishing ??= host.Services.GetRequiredService<PublishingService>()).Published;

    public T Get<T>() where T : notnull => host.Services.GetRequiredService<T>();

    // The container closes the outbox asynchronously (it commits what is queued first).
    public async ValueTask DisposeAsync()
    {
        await ((IAsyncDisposable)host).DisposeAsync().ConfigureAwait(false);
        runtime.Dispose();
    }

    private sealed class NeverSynchronised : IClockSync
    {
        public bool IsSynchronised() => false;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using ShelfAgent.Clock;
using ShelfAgent.Config;
using ShelfAgent.Config.Runtime;
using ShelfAgent.Contract;
using ShelfAgent.Hardware;
using ShelfAgent.Outbox;
using ShelfAgent.Pipeline;
using ShelfAgent.Profiles;
using ShelfAgent.Sensors;
using ShelfAgent.Stock;
using ShelfAgent.Transport;

namespace ShelfAgent.Composition;

/// <summary>
/// The one place where concrete I/O objects are chosen from options: outbox file, MQTT client, sensors and their
/// buses. Each is registered as a factory, so the container creates it, owns it and disposes it at stop in the
/// reverse order of creation: the hosted services stop first (sampling commits its last round), then the sensors
/// close, then the MQTT client, and the outbox — opened first — commits what is queued and closes its file last.
/// Tests and the simulator call it with their own <see cref="TimeProvider"/> and logger factory.
/// </summary>
public static class AgentComposition
{
    /// <summary>Builds the host that runs the agent until cancelled; dispose it with <c>await using</c> (the outbox closes asynchronously).</summary>
    /// <param name="options">Validated configuration.</param>
    /// <param name="loggerFactory">Where logs go; owned by the caller, who disposes it after the host.</param>
    /// <param name="time">The wall clock: network time-outs, keep-alive, reconnect backoff, the systemd watchdog.</param>
    /// <param name="cancellationToken">Cancels opening the outbox.</param>
    /// <param name="shopTime">
    /// The shop's clock for sensors, sampling, buffering and publishing; the simulator accelerates it. Defaults to <paramref name="time"/>.
    /// </param>
    /// <param name="hardware">GPIO/I2C access; the real Linux buses unless a test passes fakes.</param>
    /// <param name="runtime">See <see cref="CreateBuilderAsync"/>.</param>
    /// <param name="clockSync">See <see cref="CreateBuilderAsync"/>.</param>
    /// <param name="jobs">
    /// What the job operations run on (docs/jobs.md); null: no jobs client (the simulator's virtual devices and the benches).
    /// </param>
    public static async Task<IHost> BuildHostAsync(
        AgentOptions options,
        ILoggerFactory loggerFactory,
        TimeProvider time,
        CancellationToken cancellationToken,
        TimeProvider? shopTime = null,
        IHardwareAccess? hardware = null,
        RuntimeConfig? runtime = null,
        IClockSync? clockSync = null,
        JobParts? jobs = null)
    {
        var builder = await CreateBuilderAsync(
            options, loggerFactory.CreateLogger<SamplingService>(), time, cancellationToken, shopTime, hardware, runtime, clockSync).ConfigureAwait(false);
        if (jobs is not null)
        {
            JobsComposition.AddJobs(builder.Services, options, jobs, time);
        }

        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        return await BuildAsync(builder, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The agent's services, without logging (the caller adds it: Serilog for <c>run</c>, a test's factory in
    /// tests). Reads the calibrations and the learned demand first (data, not handles).
    /// </summary>
    /// <param name="options">Validated configuration.</param>
    /// <param name="startLog">Logs what is read before the host exists.</param>
    /// <param name="time">The wall clock (also what the time floor judges).</param>
    /// <param name="cancellationToken">Cancels reading the files.</param>
    /// <param name="shopTime">The shop's clock; defaults to <paramref name="time"/>.</param>
    /// <param name="hardware">GPIO/I2C access.</param>
    /// <param name="runtime">
    /// The runtime configuration (<c>run</c>): accepted remote changes reach the services, the applier is registered for jobs, and the
    /// device shadow runs when enabled. Null: fixed options, no shadow.
    /// </param>
    /// <param name="clockSync">Whether the kernel's clock is synchronised; Linux's answer unless a test passes its own.</param>
    public static async Task<HostApplicationBuilder> CreateBuilderAsync(
        AgentOptions options,
        ILogger startLog,
        TimeProvider time,
        CancellationToken cancellationToken,
        TimeProvider? shopTime = null,
        IHardwareAccess? hardware = null,
        RuntimeConfig? runtime = null,
        IClockSync? clockSync = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var shop = shopTime ?? time;
        var calibrations = await new CalibrationStore(options.Calibration.Path).LoadAsync(cancellationToken).ConfigureAwait(false);
        var demand = await StockPipelineFactory.LoadAsync(StockPipelineFactory.Store(options), startLog, cancellationToken).ConfigureAwait(false);
        // The profile release of the last profiles-update job applies again from the first round.
        var release = new AppliedRelease(await ProfilesComposition.LoadAsync(options, startLog, cancellationToken).ConfigureAwait(false));
        var topics = new Topics(options.Device.StoreId, options.Device.ThingName);
        var envelope = new TelemetryEnvelope(options.Device.ThingName, options.Device.StoreId);
        var publish = PublishSettingsFrom(options);
        var watchdog = WatchdogSettings.FromEnvironment();

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var services = builder.Services;
        services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(10);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        // The console lifetime's "Application started… Content root path…" says nothing about the agent.
        services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        AddSystemd(services);

        services.AddSingleton<IOutbox>(sp => SqliteOutbox.Open(options.Buffer, shop, sp.GetRequiredService<ILogger<SqliteOutbox>>()));
        services.AddSingleton(sp => new MqttTransport(TransportOptionsFrom(options, topics), time, sp.GetRequiredService<ILogger<MqttTransport>>()));
        // The time floor judges the wall clock, not the simulator's accelerated shop clock (docs/shadow.md).
        services.AddSingleton(sp => new TimeFloorMonitor(
            TimeFloorStore.Beside(options.Buffer.Path),
            clockSync ?? new LinuxClockSync(),
            time,
            sp.GetRequiredService<ILogger<TimeFloorMonitor>>()));
        services.AddSingleton(sp =>
        {
            var clock = sp.GetRequiredService<TimeFloorMonitor>();
            return new SlotSamplers(
                options.Slots.Select(slot => new SlotSampler(
                    slot,
                    SlotSensors.CreateResilient(slot, calibrations, shop, sp.GetRequiredService<ILoggerFactory>(), hardware),
                    shop,
                    () => clock.Trusted)).ToList(),
                sp.GetRequiredService<ILogger<SlotSamplers>>());
        });
        services.AddSingleton(_ => StockPipelineFactory.Store(options));
        services.AddSingleton(release);
        services.AddSingleton(_ => new PipelineProgress(time));

        // First of the hosted services: it counts how the last run ended before anything else starts, and marks this
        // run stopped only after all the others have stopped.
        services.AddSingleton(sp => new RestartLedger(RestartLedger.Beside(options.Buffer.Path), time, sp.GetRequiredService<ILogger<RestartLedger>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RestartLedger>());
        services.AddHostedService(sp => new ConnectionService(
            sp.GetRequiredService<MqttTransport>(), topics, time, sp.GetRequiredService<ILogger<ConnectionService>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TimeFloorMonitor>());
        services.AddSingleton(sp => new SamplingService(
            sp.GetRequiredService<SlotSamplers>().All,
            sp.GetRequiredService<IOutbox>(),
            TimeSpan.FromMilliseconds(options.Sampling.IntervalMs),
            envelope,
            shop,
            sp.GetRequiredService<ILogger<SamplingService>>(),
            StockPipelineFactory.Create(options, demand, release.Current),
            sp.GetRequiredService<DemandStore>(),
            sp.GetRequiredService<PipelineProgress>(),
            new ReadingSelection(options.Publish.Readings, options.Buffer.RawRetentionDays > 0, options.Buffer.RawDeadbandGrams)));
        services.AddHostedService(sp => sp.GetRequiredService<SamplingService>());
        services.AddSingleton(sp => new PublishingService(
            sp.GetRequiredService<IOutbox>(),
            sp.GetRequiredService<MqttTransport>(),
            publish,
            shop,
            sp.GetRequiredService<ILogger<PublishingService>>(),
            sp.GetRequiredService<PipelineProgress>()));
        services.AddHostedService(sp => sp.GetRequiredService<PublishingService>());
        // Certificate lifetime: a log warning from 80% used; Current is the value the shadow reports.
        services.AddSingleton(sp => new CertificateExpiryWatch(options.Mqtt.CertFile, time, sp.GetRequiredService<ILogger<CertificateExpiryWatch>>()));
        services.AddHostedService(sp => sp.GetRequiredService<CertificateExpiryWatch>());
        if (runtime is not null)
        {
            RuntimeComposition.AddRuntime(services, options, runtime, time);
        }

        services.AddHostedService(sp => new WatchdogService(
            sp.GetService<ISystemdNotifier>(),
            watchdog,
            WatchdogBounds.For(
                watchdog ?? TimeSpan.Zero,
                TimeSpan.FromMilliseconds(options.Sampling.IntervalMs),
                publish.Interval,
                TimeSpan.FromSeconds(options.Mqtt.KeepAliveSeconds)),
            sp.GetRequiredService<PipelineProgress>(),
            time,
            sp.GetRequiredService<ILogger<WatchdogService>>(),
            sp.GetRequiredService<RestartLedger>()));
        return builder;
    }

    /// <summary>
    /// Builds the host and opens the outbox at once, off the caller's thread, so a file that cannot be opened fails
    /// here (the caller exits EX_IOERR) rather than at start; being created first, the outbox is disposed last.
    /// </summary>
    public static async Task<IHost> BuildAsync(HostApplicationBuilder builder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var host = builder.Build();
        try
        {
            await Task.Run(() => host.Services.GetRequiredService<IOutbox>(), cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            if (host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>What the publishing loop is told by the options (the simulator builds its own loop around a timed publisher).</summary>
    public static PublishSettings PublishSettingsFrom(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PublishSettings(
            new Topics(options.Device.StoreId, options.Device.ThingName),
            new TelemetryEnvelope(options.Device.ThingName, options.Device.StoreId),
            TimeSpan.FromMilliseconds(options.Publish.IntervalMs),
            options.Publish.MaxPayloadBytes,
            options.Publish.BacklogSchema,
            TimeSpan.FromSeconds(options.Buffer.LiveWindowSeconds),
            options.Mqtt.MaxBytesPerSecond,
            options.Mqtt.MaxPublishesPerSecond,
            options.Publish.LiveSchema,
            options.Publish.BasicIngestRule,
            options.Publish.Readings == PublishedReadings.Summaries && options.Publish.SpreadSummaries
                ? SummarySecond.For(options.Device.ThingName)
                : null);
    }

    /// <summary>The transport's options from the agent's: client id = thing name, last will on the status topic, telemetry aliased.</summary>
    public static MqttTransportOptions TransportOptionsFrom(AgentOptions options, Topics topics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topics);
        var transport = MqttTransportOptions.FromConfig(options.Mqtt, options.Device.ThingName);
        transport.Will = new MqttWill(topics.Status, ConnectionService.OfflinePayload, MqttQualityOfServiceLevel.AtLeastOnce, true);
        // MQTT 5 topic alias for the topic nearly every message goes to (AWS IoT allows 8 aliases).
        transport.AliasedTopics = [topics.TelemetryVia(options.Publish.BasicIngestRule)];
        return transport;
    }

    /// <summary>
    /// Microsoft.Extensions.Hosting.Systemd: READY=1 once started, STOPPING=1 at stop, SIGTERM stops the host.
    /// Its 10.0.14 detection (<see cref="SystemdHelpers.IsSystemdService"/>) reads the parent's /proc/PID/comm, which
    /// the unit's <c>ProtectProc=invisible</c> hides (PID 1 belongs to root; seen with hidepid=invisible, 2026-12-02),
    /// so it would switch itself off under our own unit; newer versions read SYSTEMD_EXEC_PID instead. So when it
    /// says no but systemd gave a notification socket (sd_notify(3): NOTIFY_SOCKET is the contract), the same two
    /// services are registered here.
    /// </summary>
    private static void AddSystemd(IServiceCollection services)
    {
        services.AddSystemd();
        if (!SystemdHelpers.IsSystemdService() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }
    }
}

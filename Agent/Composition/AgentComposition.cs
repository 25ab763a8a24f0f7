using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Outbox;
using ShelfAgent.Config;
using ShelfAgent.Fleet.ConfigApply;
using ShelfAgent.Fleet.Clock;
using ShelfAgent.Contract;
using MQTTnet.Protocol;
using ShelfAgent.Transport;
using ShelfAgent.Sensors;
using ShelfAgent.Hardware;
using ShelfAgent.Pipeline;

namespace ShelfAgent.Composition;

/// <summary>
/// The one place where concrete I/O objects are built from options: outbox file, MQTT client, sensors.
/// Tests and the simulator call it with their own <see cref="TimeProvider"/> and logger factory.
/// </summary>
public static class AgentComposition
{
    /// <summary>Builds the host that runs the agent until cancelled.</summary>
    /// <param name="options">Validated configuration.</param>
    /// <param name="loggerFactory">Where logs go.</param>
    /// <param name="time">The wall clock: network time-outs, keep-alive, reconnect backoff.</param>
    /// <param name="cancellationToken">Cancels opening the outbox.</param>
    /// <param name="shopTime">The shop's clock for sensors, sampling, buffering and publishing; the simulator accelerates it. Defaults to <paramref name="time"/>.</param>
    /// <param name="hardware">GPIO/I2C access; the real Linux buses unless a test passes fakes.</param>
    /// <param name="clockSync">Whether the kernel's clock is synchronised; Linux's answer unless a test passes its own.</param>
    /// <param name="runtime">The runtime configuration (<c>run</c>): accepted remote changes reach the services, and the device shadow runs. Null: fixed options, no shadow.</param>
    /// <param name="jobs">What the job operations run on (docs/jobs.md); null: no jobs client (the simulator's virtual devices and the benches).</param>
    public static async Task<IHost> BuildHostAsync(AgentOptions options, ILoggerFactory loggerFactory, TimeProvider time, CancellationToken cancellationToken, TimeProvider? shopTime = null, IHardwareAccess? hardware = null, RuntimeConfig? runtime = null, IClockSync? clockSync = null, JobParts? jobs = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var shop = shopTime ?? time;
        var outbox = await SqliteOutbox.OpenAsync(
            options.Buffer,
            shop,
            loggerFactory.CreateLogger<SqliteOutbox>(),
            cancellationToken).ConfigureAwait(false);
        var topics = new Topics(options.Device.StoreId, options.Device.ThingName);
        var client = new MqttTransport(TransportOptionsFrom(options, topics), time, loggerFactory.CreateLogger<MqttTransport>());
        var calibrations = await new CalibrationStore(options.Calibration.Path).LoadAsync(cancellationToken).ConfigureAwait(false);
        // The time floor judges the wall clock, not the simulator's accelerated shop clock.
        var clock = new TimeFloorMonitor(TimeFloorStore.Beside(options.Buffer.Path), clockSync ?? new LinuxClockSync(), time, loggerFactory.CreateLogger<TimeFloorMonitor>());
        var samplers = options.Slots
            .Select(slot => new SlotSampler(slot, SlotSensors.CreateResilient(slot, calibrations, shop, loggerFactory, hardware), shop, () => clock.Trusted))
            .ToList();
        var envelope = new TelemetryEnvelope(options.Device.ThingName, options.Device.StoreId);
        var (pipeline, demand) = await StockPipelineFactory.CreateAsync(options, loggerFactory.CreateLogger<SamplingService>(), cancellationToken).ConfigureAwait(false);
        var sampling = new SamplingService(samplers, outbox, TimeSpan.FromMilliseconds(options.Sampling.IntervalMs), envelope, shop, loggerFactory.CreateLogger<SamplingService>(), pipeline, demand);
        var publishing = new PublishingService(
            outbox,
            client,
            new PublishSettings(topics, envelope, TimeSpan.FromMilliseconds(options.Publish.IntervalMs), options.Publish.MaxPayloadBytes, options.Mqtt.MaxInFlight, options.Publish.BacklogSchema == "shelf.telemetry.v2", TimeSpan.FromSeconds(options.Buffer.LiveWindowSeconds), options.Mqtt.MaxBytesPerSecond, options.Mqtt.MaxPublishesPerSecond),
            shop,
            loggerFactory.CreateLogger<PublishingService>());

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(10);
            o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.AddSingleton<IOutbox>(outbox);
        builder.Services.AddSingleton(client);
        builder.Services.AddHostedService(_ => new ConnectionService(client, topics, time, loggerFactory.CreateLogger<ConnectionService>()));
        builder.Services.AddSingleton(clock);
        builder.Services.AddHostedService(_ => clock);
        builder.Services.AddHostedService(_ => sampling);
        builder.Services.AddHostedService(_ => publishing);
        if (jobs is not null)
        {
            JobsComposition.AddJobs(builder.Services, options, client, jobs, time, loggerFactory);
        }

        // Certificate lifetime: a log warning from 80% used; the singleton's Current is the value the shadow reports.
        var expiry = new CertificateExpiryWatch(options.Mqtt.CertFile, time, loggerFactory.CreateLogger<CertificateExpiryWatch>());
        builder.Services.AddSingleton(expiry);
        builder.Services.AddHostedService(_ => expiry);
        if (runtime is not null)
        {
            FleetComposition.WireReconfiguration(runtime, sampling, publishing);
            // The jobs client's config-update resolves the applier here (docs/shadow.md, IConfigApplier).
            builder.Services.AddSingleton<Fleet.Shadow.IConfigApplier>(runtime);
            if (FleetComposition.ShadowEnabled(options))
            {
                var shadow = FleetComposition.CreateShadow(runtime, client, sampling, time, loggerFactory, () => (expiry.Current ?? expiry.CheckNow())?.NotAfter, () => clock.Trusted);
                builder.Services.AddSingleton(shadow);
                builder.Services.AddHostedService(_ => shadow);
            }
        }

        builder.Services.AddHostedService(_ => new SystemdNotifier(() => true, time));
        return builder.Build();
    }

    /// <summary>The transport's options from the agent's: client id = thing name, last will on the status topic, telemetry aliased.</summary>
    public static MqttTransportOptions TransportOptionsFrom(AgentOptions options, Topics topics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topics);
        var transport = MqttTransportOptions.FromConfig(options.Mqtt, options.Device.ThingName);
        transport.Will = new MqttWill(topics.Status, ConnectionService.OfflinePayload, MqttQualityOfServiceLevel.AtLeastOnce, true);
        // MQTT 5 topic alias for the topic nearly every message goes to (AWS IoT allows 8 aliases).
        transport.AliasedTopics = [topics.Telemetry];
        return transport;
    }
}

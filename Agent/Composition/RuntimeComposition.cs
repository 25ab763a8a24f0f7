using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShelfAgent.Clock;
using ShelfAgent.Config;
using ShelfAgent.Config.Runtime;
using ShelfAgent.Contract;
using ShelfAgent.IotCore;
using ShelfAgent.IotCore.Shadow;
using ShelfAgent.Outbox;
using ShelfAgent.Pipeline;
using ShelfAgent.Profiles;
using ShelfAgent.Transport;

namespace ShelfAgent.Composition;

/// <summary>
/// Wires what may change while the agent runs onto its services: runtime reconfiguration (Config/Runtime) and the device shadow
/// (IotCore/Shadow).
/// </summary>
public static class RuntimeComposition
{
    /// <summary>
    /// Registers what <c>run</c> adds on top of the pipeline: the applier (for the jobs client's config-update), the
    /// passing-on of accepted changes to the services, and the device shadow when enabled.
    /// </summary>
    public static void AddRuntime(IServiceCollection services, AgentOptions options, RuntimeConfig runtime, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtime);
        services.AddSingleton<IConfigApplier>(runtime);
        services.AddHostedService(sp => new RuntimeReconfiguration(
            runtime, sp.GetRequiredService<SamplingService>(), sp.GetRequiredService<PublishingService>(), sp.GetService<AppliedRelease>()));
        if (!ShadowEnabled(options))
        {
            return;
        }

        services.AddSingleton(sp =>
        {
            var expiry = sp.GetRequiredService<CertificateExpiryWatch>();
            var clock = sp.GetRequiredService<TimeFloorMonitor>();
            var restarts = sp.GetService<RestartLedger>();
            var release = sp.GetService<AppliedRelease>();
            return CreateShadow(
                runtime,
                sp.GetRequiredService<MqttTransport>(),
                sp.GetRequiredService<SamplingService>(),
                time,
                sp.GetRequiredService<ILoggerFactory>(),
                () => (expiry.Current ?? expiry.CheckNow())?.NotAfter,
                () => clock.Trusted,
                restarts is null ? null : () => Restarts(restarts.Current),
                release is null ? null : () => ProfilesComposition.Report(runtime.Current, release.Current));
        });
        services.AddHostedService(sp => sp.GetRequiredService<ShadowService>());
    }

    /// <summary>The services' view of an accepted change: what <see cref="RuntimeReconfiguration"/> passes on.</summary>
    public static void Apply(ConfigChange change, SamplingService sampling, PublishingService publishing) => Apply(change, sampling, publishing, null);

    /// <summary>As above; a rebuilt pipeline keeps the profile release in use (<paramref name="release"/>, read when it is built).</summary>
    public static void Apply(ConfigChange change, SamplingService sampling, PublishingService publishing, AppliedRelease? release)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(publishing);
        var o = change.Current;
        var rebuild = change.Keys.Any(k => k.StartsWith("Slots:", StringComparison.Ordinal)
            || k.StartsWith("Stock:", StringComparison.Ordinal)
            || k.StartsWith(RemoteConfigKeys.DemandProfiles + ":", StringComparison.Ordinal));
        sampling.Reconfigure(new SamplingChange(
            TimeSpan.FromMilliseconds(o.Sampling.IntervalMs),
            o.Slots,
            rebuild ? learned => StockPipelineFactory.Create(o, learned, release?.Current) : null));
        publishing.Reconfigure(TimeSpan.FromMilliseconds(o.Publish.IntervalMs));
    }

    /// <summary>True when the shadow runs: <c>Shadow:Enabled</c>, or unset and the broker is AWS IoT.</summary>
    public static bool ShadowEnabled(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Shadow.Enabled ?? AwsIotLimits.IsAwsIotEndpoint(options.Mqtt.Host);
    }

    /// <summary>The shadow service over the agent's connection; its report is read from the running services.</summary>
    /// <param name="runtime">Applies desired changes; its options feed the report.</param>
    /// <param name="client">The agent's connection.</param>
    /// <param name="sampling">Per-slot state.</param>
    /// <param name="time">The wall clock.</param>
    /// <param name="loggerFactory">Logs.</param>
    /// <param name="certificateExpiry">When the device certificate expires (the provision helper's CertificateExpiryWatch).</param>
    /// <param name="clockTrusted">Whether the clock is trusted (the time floor).</param>
    /// <param name="restarts">The restart counts (<c>device.restarts</c>); null: not reported.</param>
    /// <param name="profiles">The profile release in use (<c>device.profiles</c>); null: not reported.</param>
    public static ShadowService CreateShadow(
        RuntimeConfig runtime,
        MqttTransport client,
        SamplingService sampling,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        Func<DateTimeOffset?> certificateExpiry,
        Func<bool> clockTrusted,
        Func<RestartReport>? restarts = null,
        Func<ProfilesReport?>? profiles = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var options = runtime.Current;
        var session = new MqttTransportSession(client);
        var shadow = new ShadowService(
            session,
            new AwsIotRequester(session, time),
            new ShadowTopics(options.Device.ThingName),
            runtime,
            async (refused, ct) =>
            {
                var o = runtime.Current;
                return new ShadowReport(
                    RemoteConfigKeys.Effective(o),
                    AgentVersion.Current,
                    o.EffectiveHash,
                    runtime.LastError,
                    refused,
                    sampling.Snapshots,
                    await BufferAsync(o, time, ct).ConfigureAwait(false),
                    certificateExpiry(),
                    clockTrusted(),
                    restarts?.Invoke(),
                    profiles?.Invoke());
            },
            options.Shadow,
            time,
            loggerFactory.CreateLogger<ShadowService>());
        client.Connected += _ =>
        {
            shadow.OnConnected();
            return Task.CompletedTask;
        };
        return shadow;
    }

    private static RestartReport Restarts(RestartCounts c) =>
        new(c.Watchdog, c.Unclean, c.Last is { } last ? RestartCountsCodec.CauseName(last) : null, c.LastAt);

    private static async Task<BufferReport?> BufferAsync(AgentOptions o, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            var s = await SqliteOutbox.ReadStatsAsync(o.Buffer.Path, time, o.Buffer.LiveWindowSeconds, cancellationToken).ConfigureAwait(false);
            return new BufferReport(s.EventDepth + s.LiveDepth + s.BacklogDepth, s.OldestReadingAge is { } age ? (long)age.TotalSeconds : null, s.EvictedTotal,
                s.DiskFull?.Describe());
        }
        catch (Exception e) when (e is IOException or Microsoft.Data.Sqlite.SqliteException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShelfAgent.Artifacts;
using ShelfAgent.Config;
using ShelfAgent.Config.Runtime;
using ShelfAgent.Contract;
using ShelfAgent.IotCore.Shadow;
using ShelfAgent.Pipeline;
using ShelfAgent.Profiles;

namespace ShelfAgent.Composition;

/// <summary>
/// <c>profiles-update</c>'s parts (docs/jobs.md, docs/models.md): the release kept from the last run, read at start so the
/// first pipeline runs on it; the job operation, which <see cref="JobsComposition"/> offers when it is registered here;
/// and the shadow's <c>device.profiles</c>.
/// </summary>
public static partial class ProfilesComposition
{
    /// <summary>The release kept in <c>profiles/release.json</c> beside the buffer; an unusable or foreign one is logged and ignored.</summary>
    public static async Task<ProfileRelease?> LoadAsync(AgentOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (release, problem) = await new ProfileReleaseFile(ProfileReleaseFile.Beside(options.Buffer.Path)).LoadAsync(cancellationToken)
            .ConfigureAwait(false);
        if (problem is not null)
        {
            LogReleaseUnusable(logger, problem);
            return null;
        }

        if (release is not null && release.Store != options.Device.StoreId)
        {
            // Device:StoreId changed since (the device moved): the old store's profiles do not describe this one.
            var foreign = $"the profile release {release.Release} kept is for store {release.Store}, not {options.Device.StoreId}; running without it";
            LogReleaseUnusable(logger, foreign);
            return null;
        }

        if (release is not null && logger.IsEnabled(LogLevel.Information))
        {
            var served = ReleaseProfiles.Served(options, release).Count;
            LogReleaseLoaded(logger, release.Release, served, options.Slots.Count);
        }

        return release;
    }

    /// <summary>Registers the operation (needs the sampling service and <see cref="AppliedRelease"/> of <see cref="AgentComposition"/>).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">The agent's options at start.</param>
    /// <param name="runtime">The runtime configuration (its current options are used when the job runs); null: fixed options.</param>
    /// <param name="time">Clock.</param>
    /// <param name="downloads">The HTTPS handler for downloads (the system's trust store unless a test passes one).</param>
    public static void AddProfiles(
        IServiceCollection services, AgentOptions options, RuntimeConfig? runtime, TimeProvider time, HttpMessageHandler? downloads = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp =>
        {
            // Owned by the container: disposed with the host. A store's release is kilobytes to a few MB.
            var http = new HttpClient(downloads ?? new SocketsHttpHandler(), disposeHandler: true) { Timeout = TimeSpan.FromMinutes(5) };
            var keys = options.Profiles.Keys();
            var file = new ProfileReleaseFile(ProfileReleaseFile.Beside(options.Buffer.Path));
            var fetcher = new ArtifactFetcher(new ArtifactDownloader(http, time), keys, file.Directory, ProfilesOptions.MaxDownloadBytes);
            var applied = sp.GetRequiredService<AppliedRelease>();
            var sampling = sp.GetRequiredService<SamplingService>();
            var logger = sp.GetRequiredService<ILogger<ProfilesUpdateOperation>>();
            AgentOptions Current() => runtime?.Current ?? options;
            void Apply()
            {
                var o = Current();
                if (logger.IsEnabled(LogLevel.Information))
                {
                    var id = applied.Current?.Release ?? "none";
                    var served = ReleaseProfiles.Served(o, applied.Current).Count;
                    LogReleaseApplied(logger, id, served, o.Slots.Count);
                }

                // Taken between two sampling rounds; what was learned carries over (SamplingService.Reconfigure).
                sampling.Reconfigure(new SamplingChange(
                    sampling.Interval, o.Slots, learned => StockPipelineFactory.Create(Current(), learned, applied.Current)));
            }

            return new ProfilesOperationHolder(new ProfilesUpdateOperation(fetcher, file, applied, Current, Apply, keys.Ids.Count > 0), http);
        });
    }

    /// <summary><c>device.profiles</c>: the release in use and the slots it feeds; null when none.</summary>
    public static ProfilesReport? Report(AgentOptions options, ProfileRelease? release) =>
        release is null ? null : new ProfilesReport(release.Release, ReleaseProfiles.Served(options, release).Count);

    /// <summary>The operation and the HTTP client it downloads with (disposed together).</summary>
    internal sealed class ProfilesOperationHolder(ProfilesUpdateOperation operation, HttpClient http) : IDisposable
    {
        public ProfilesUpdateOperation Operation => operation;

        public void Dispose() => http.Dispose();
    }

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "{Problem}")]
    private static partial void LogReleaseUnusable(ILogger logger, string problem);

    [LoggerMessage(
        EventId = 2111, Level = LogLevel.Information, Message = "Profile release {Release} kept from the last run: {Slots} of {Total} slots run on it")]
    private static partial void LogReleaseLoaded(ILogger logger, string release, int slots, int total);

    [LoggerMessage(
        EventId = 2112,
        Level = LogLevel.Information,
        Message = "Profile release {Release} applied: {Slots} of {Total} slots run on it from the next sampling round")]
    private static partial void LogReleaseApplied(ILogger logger, string release, int slots, int total);
}

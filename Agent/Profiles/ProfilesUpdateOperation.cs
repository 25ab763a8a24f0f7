using System.Globalization;
using ShelfAgent.Artifacts;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.IotCore.Jobs;

namespace ShelfAgent.Profiles;

/// <summary>
/// <c>profiles-update</c> (docs/jobs.md): fetch the store's release artifact with the one artifact fetcher (HTTPS, size cap,
/// resume, SHA-256, signature by <c>Profiles:TrustedKeys</c>), read it, check it is for this store and has profiles for this
/// thing's slots, keep it in the state folder, and hand it to the stock pipeline, which takes it between two sampling
/// rounds. An artifact with no profiles at all withdraws the release (the rollback of a first release: back to the
/// device's own learning). Safe to run again after a restart: the download resumes and the same release replaces itself.
/// </summary>
/// <param name="fetcher">Download and verification with <c>Profiles:TrustedKeys</c>, into <paramref name="file"/>'s folder.</param>
/// <param name="file">Where the release in use is kept.</param>
/// <param name="applied">The release in use (read by the pipeline and the shadow).</param>
/// <param name="options">The options in effect when the job runs (thing, store, slots).</param>
/// <param name="apply">Rebuilds the stock pipeline on the release in use at the next sampling round.</param>
/// <param name="hasKeys"><c>Profiles:TrustedKeys</c> holds at least one key.</param>
public sealed class ProfilesUpdateOperation(
    ArtifactFetcher fetcher, ProfileReleaseFile file, AppliedRelease applied, Func<AgentOptions> options, Action apply, bool hasKeys) : IJobOperation
{
    /// <inheritdoc />
    public string Name => ProfilesUpdateJob.Name;

    /// <inheritdoc />
    public async Task<JobOutcome> RunAsync(JobDocument document, CancellationToken cancellationToken)
    {
        var job = (ProfilesUpdateJob)document;
        if (!hasKeys)
        {
            return JobOutcome.Rejected(
                "this device has no Profiles:TrustedKeys: it accepts no profile release (add the profile signing public key to agent.json)");
        }

        VerifiedArtifact artifact;
        try
        {
            artifact = await fetcher.FetchAsync(job.Artifact, cancellationToken).ConfigureAwait(false);
        }
        catch (ArtifactException e)
        {
            return JobOutcome.Failed(e.Message, Pair("check", e.Code), Pair("release", job.Release));
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(artifact.Path, cancellationToken).ConfigureAwait(false);
            if (!ProfileReleaseParser.TryParse(bytes, out var release, out var problem))
            {
                return JobOutcome.Failed($"release {job.Release} was refused: {problem}", Pair("check", "artifact"), Pair("release", job.Release));
            }

            var o = options();
            if (Refusal(job, release, o) is { } refused)
            {
                return refused;
            }

            if (release.Profiles.Count == 0)
            {
                var previous = applied.Current?.Release;
                file.Delete();
                applied.Set(null);
                apply();
                return JobOutcome.Succeeded(Pair("release", release.Release), Pair("slots", "0"), Pair("withdrawn", previous ?? "none"),
                    Pair("key", artifact.KeyId));
            }

            await file.SaveAsync(bytes, cancellationToken).ConfigureAwait(false);
            applied.Set(release);
            apply();
            var served = ReleaseProfiles.Served(o, release);
            return JobOutcome.Succeeded(
                Pair("release", release.Release),
                Pair("slots", served.Count.ToString(CultureInfo.InvariantCulture)),
                Pair("of", o.Slots.Count.ToString(CultureInfo.InvariantCulture)),
                Pair("key", artifact.KeyId));
        }
        finally
        {
            File.Delete(artifact.Path);
        }
    }

    /// <summary>A verified artifact that is still not for this device: another release, another store, nothing for this thing.</summary>
    private static JobOutcome? Refusal(ProfilesUpdateJob job, ProfileRelease release, AgentOptions o)
    {
        if (release.Release != job.Release)
        {
            return JobOutcome.Rejected($"the artifact holds release {release.Release}, but the job says {job.Release}");
        }

        if (release.Store != o.Device.StoreId)
        {
            return JobOutcome.Rejected(
                $"release {release.Release} is the artifact of store {release.Store}; this device ({o.Device.ThingName}) is in store {o.Device.StoreId}");
        }

        if (release.Profiles.Count == 0)
        {
            return null;
        }

        var mine = release.For(o.Device.ThingName);
        if (mine.Count == 0)
        {
            return JobOutcome.Rejected(
                $"release {release.Release} has no profile for thing {o.Device.ThingName} " +
                $"({release.Profiles.Count} profiles for other things of store {release.Store})");
        }

        if (ReleaseProfiles.Usable(release, o).Count == 0)
        {
            var slots = string.Join(", ", o.Slots.Select(s => $"{s.Id}={s.Sku}"));
            var offered = string.Join(", ", mine.Select(p => $"{p.Slot}={p.Sku}"));
            return JobOutcome.Rejected($"release {release.Release} has no profile for a slot of this thing: it offers {offered}; agent.json has {slots}");
        }

        return null;
    }

    private static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);
}

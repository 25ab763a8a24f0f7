using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Control;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// Sends a published release to things on a running local IoT Core (the stand-in for IoT Jobs, Tools/LocalIotCore): one
/// <c>profiles-update</c> job per thing with its store's job document (<see cref="ReleaseArtifacts.Publish"/>), through the
/// core's CreateJob control request, as <c>local-iot-core job create</c> does. AWS makes one job per store targeting its
/// things; the local core targets one thing per job, hence one per thing, id <c>&lt;purpose&gt;-&lt;release&gt;-&lt;thing&gt;</c>.
/// </summary>
public static class ReleaseJobs
{
    /// <summary>The job id of <paramref name="release"/> for <paramref name="thing"/>: [a-zA-Z0-9_-], at most 64 characters.</summary>
    public static string JobId(string purpose, string release, string thing)
    {
        var id = new string($"{purpose}-{release}-{thing}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return id.Length <= 64 ? id : id[..64];
    }

    /// <summary>
    /// Queues the job of each target's store (<paramref name="targets"/>: thing → store) on the core running on
    /// <paramref name="iotCoreState"/>. Returns the job ids by thing.
    /// </summary>
    /// <exception cref="CoreNotRunningException">No core runs on that state folder.</exception>
    /// <exception cref="InvalidOperationException">The core refused a job (e.g. an unknown thing, a job id used before).</exception>
    public static async Task<IReadOnlyDictionary<string, string>> CreateAsync(
        string iotCoreState,
        string purpose,
        string release,
        IReadOnlyDictionary<string, string> targets,
        IReadOnlyDictionary<string, JsonObject> jobsByStore,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(jobsByStore);
        var client = await ControlClient.ConnectAsync(iotCoreState, cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            var created = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (thing, store) in targets.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                if (!jobsByStore.TryGetValue(store, out var document))
                {
                    throw new InvalidOperationException($"no job document for store {store} (thing {thing}, jobs of release {release})");
                }

                var id = JobId(purpose, release, thing);
                var request = new JsonObject { ["thingName"] = thing, ["jobId"] = id, ["document"] = document.DeepClone() };
                var reply = await client.RequestAsync(ControlOperation.CreateJob, request, cancellationToken).ConfigureAwait(false);
                if (!reply.Accepted)
                {
                    throw new InvalidOperationException($"the local IoT Core refused job {id} for {thing}: {reply.Problem}");
                }

                created[thing] = id;
            }

            return created;
        }
    }
}

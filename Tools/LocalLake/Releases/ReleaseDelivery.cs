using ShelfAgent.LocalIot.State;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// Sends a <see cref="Delivery"/> to devices on the local IoT Core — the one way <c>canary</c>, <c>watch</c> and
/// <c>rollback</c> do it: the release (or the withdrawal) is published for every store of the devices into
/// <c>&lt;lake&gt;/published</c>, signed with the lake's profile key (as <c>publish</c> does), then one profiles-update job
/// per target thing is queued with its store's document (<see cref="ReleaseJobs"/>).
/// </summary>
public static class ReleaseDelivery
{
    /// <summary>The folder <c>local-lake serve</c> serves and the deliveries publish into.</summary>
    public static string PublishedFolder(string lakeDirectory) => Path.Combine(lakeDirectory, "published");

    /// <summary>Refuses early (before a decision is recorded) when no local IoT Core runs on the target's state folder.</summary>
    /// <exception cref="InvalidOperationException">No core runs there.</exception>
    public static void EnsureRunning(DeliveryTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (CoreEndpoint.Read(target.IotCoreState) is null)
        {
            throw new InvalidOperationException(
                $"no local-iot-core runs on {Path.GetFullPath(target.IotCoreState)}: start one with 'local-iot-core start --state {target.IotCoreState}'");
        }
    }

    /// <summary>
    /// Publishes and queues <paramref name="delivery"/>; <paramref name="stores"/>: every device's store (thing → store).
    /// Returns the job ids by thing.
    /// </summary>
    /// <exception cref="InvalidOperationException">A target thing is not among the devices, or the core refused a job.</exception>
    public static async Task<IReadOnlyDictionary<string, string>> SendAsync(
        string lakeDirectory, ReleaseStore releases, DeliveryTarget target, Delivery delivery, IReadOnlyDictionary<string, string> stores,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(stores);
        var targets = delivery.Things.ToDictionary(
            t => t,
            t => stores.TryGetValue(t, out var s)
                ? s
                : throw new InvalidOperationException($"thing {t} of release {delivery.Rollout} is not among the devices"),
            StringComparer.Ordinal);
        var all = stores.Values.Distinct(StringComparer.Ordinal).ToList();
        var folder = PublishedFolder(lakeDirectory);
        using var key = ProfileSigningKey.OpenOrCreate(lakeDirectory);
        var jobs = delivery.Release is { } release
            ? ReleaseArtifacts.Publish(releases, release, all, key, target.BaseUrl, folder)
            : ReleaseArtifacts.PublishWithdrawal(delivery.Rollout, all, key, target.BaseUrl, folder);
        return await ReleaseJobs.CreateAsync(target.IotCoreState, delivery.Purpose, delivery.Rollout, targets, jobs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The line a command prints for the queued jobs.</summary>
    public static string Describe(Delivery delivery, IReadOnlyDictionary<string, string> created)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(created);
        return created.Count == 0
            ? $"{delivery.Purpose}: no device to send {delivery.What} to"
            : $"{delivery.Purpose}: {delivery.What} queued as profiles-update jobs: {string.Join(", ", created.Select(c => $"{c.Value} for {c.Key}"))}";
    }
}

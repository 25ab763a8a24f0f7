using ShelfAgent.Config.Runtime;

namespace ShelfAgent.IotCore.Jobs.Operations;

/// <summary>
/// <c>config-update</c>: hands the document's changes to the shadow's <see cref="IConfigApplier"/>, which validates
/// them with agent.json's rules, applies the valid ones without a restart and persists them — the same path as a
/// shadow delta, so a job and the shadow cannot disagree on what is valid.
/// </summary>
public sealed class ConfigUpdateOperation(IConfigApplier applier) : IJobOperation
{
    /// <inheritdoc />
    public string Name => ConfigUpdateJob.Name;

    /// <inheritdoc />
    public async Task<JobOutcome> RunAsync(JobDocument document, CancellationToken cancellationToken)
    {
        var job = (ConfigUpdateJob)document;
        var result = await applier.ApplyAsync(job.Changes, ConfigChangeSource.Job, cancellationToken).ConfigureAwait(false);
        return ConfigUpdateOutcome.From(result);
    }
}

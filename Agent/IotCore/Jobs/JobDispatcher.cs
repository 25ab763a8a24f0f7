namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// Runs a parsed job document on its operation: a refused document is REJECTED with the parser's reason, an operation
/// this device has not got (not wired here) is REJECTED naming it, a throwing operation is FAILED with its message.
/// </summary>
public sealed class JobDispatcher
{
    private readonly Dictionary<string, IJobOperation> _operations;

    /// <summary>Creates the dispatcher over the device's operations (one per name).</summary>
    public JobDispatcher(IEnumerable<IJobOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        _operations = operations.ToDictionary(o => o.Name, StringComparer.Ordinal);
    }

    /// <summary>The outcome of <paramref name="parsed"/>.</summary>
    public Task<JobOutcome> RunAsync(JobDocumentParse parsed, CancellationToken cancellationToken) => RunAsync(parsed, null, cancellationToken);

    /// <summary>The outcome of <paramref name="parsed"/>, with the execution's progress reporter for operations that use it.</summary>
    public async Task<JobOutcome> RunAsync(JobDocumentParse parsed, IJobProgress? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        if (parsed.Document is not { } document)
        {
            return JobOutcome.Rejected(parsed.Refusal ?? "the job document was refused");
        }

        if (!_operations.TryGetValue(document.Operation, out var operation))
        {
            return JobOutcome.Rejected($"operation '{document.Operation}' is not available on this device (available: {string.Join(", ", _operations.Keys)})");
        }

        try
        {
            return progress is null
                ? await operation.RunAsync(document, cancellationToken).ConfigureAwait(false)
                : await operation.RunAsync(document, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return JobOutcome.Failed($"{document.Operation} failed: {e.Message}", new KeyValuePair<string, string>("error", e.GetType().Name));
        }
    }
}

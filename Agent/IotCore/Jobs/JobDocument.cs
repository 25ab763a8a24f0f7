namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// A job document this agent understands, by its <c>operation</c> field (docs/jobs.md has the schemas). Parsed by
/// <see cref="JobDocumentParser"/>; plain data, no behaviour.
/// </summary>
public abstract record JobDocument
{
    /// <summary>The <c>operation</c> value of the document.</summary>
    public abstract string Operation { get; }
}

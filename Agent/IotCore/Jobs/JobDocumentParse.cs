namespace ShelfAgent.IotCore.Jobs;

/// <summary>What <see cref="JobDocumentParser"/> made of a job document: the document, or why the job is REJECTED.</summary>
/// <param name="Document">The parsed document, or null when refused.</param>
/// <param name="Refusal">Why the agent will not run it (goes into statusDetails), or null.</param>
public sealed record JobDocumentParse(JobDocument? Document, string? Refusal)
{
    /// <summary>A document to run.</summary>
    public static JobDocumentParse Of(JobDocument document) => new(document, null);

    /// <summary>A document to reject, with the reason.</summary>
    public static JobDocumentParse Refused(string reason) => new(null, reason);
}

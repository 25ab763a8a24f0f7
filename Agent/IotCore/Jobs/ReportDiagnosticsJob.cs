namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// <c>{"operation":"report-diagnostics","uploadUrl":"https://…","logLines":20}</c>: the doctor's findings and the recent
/// warning/error log lines, summarised in statusDetails and, when <see cref="UploadUrl"/> is given, in full by HTTPS PUT.
/// </summary>
/// <param name="UploadUrl">A pre-signed HTTPS URL (e.g. S3 PUT) for the full report, or null.</param>
/// <param name="LogLines">How many recent warning/error lines to include (0–200).</param>
public sealed record ReportDiagnosticsJob(Uri? UploadUrl, int LogLines) : JobDocument
{
    /// <summary>The operation's name on the wire.</summary>
    public const string Name = "report-diagnostics";

    /// <summary>Log lines when the document does not say.</summary>
    public const int DefaultLogLines = 20;

    /// <summary>The most log lines a document may ask for.</summary>
    public const int MaxLogLines = 200;

    /// <inheritdoc />
    public override string Operation => Name;
}

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// <c>{"operation":"upload-readings","uploadUrl":"https://…","from":"…Z","to":"…Z","slots":["A1"]}</c>: the raw grams the
/// device kept (<c>Buffer:RawRetentionDays</c>) of a time window and some or all slots, by HTTPS PUT to a pre-signed URL.
/// </summary>
/// <param name="UploadUrl">A pre-signed HTTPS URL (e.g. S3 PUT) for the readings.</param>
/// <param name="From">Start of the window (inclusive, UTC).</param>
/// <param name="To">End of the window (exclusive, UTC).</param>
/// <param name="Slots">The slots to upload; empty for every slot.</param>
public sealed record UploadReadingsJob(Uri UploadUrl, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> Slots) : JobDocument
{
    /// <summary>The operation's name on the wire.</summary>
    public const string Name = "upload-readings";

    /// <summary>The longest window one job may ask for (the most raw grams a device keeps: Buffer:RawRetentionDays ≤ 366).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    /// <inheritdoc />
    public override string Operation => Name;
}

using ShelfAgent.Validation;

namespace ShelfAgent.Outbox;

/// <summary>The <c>Buffer</c> configuration section: where and how the outbox keeps readings.</summary>
public sealed class OutboxOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Buffer";

    /// <summary>Smallest accepted <see cref="MaxBytes"/>: a few pages per table plus room to work.</summary>
    public const long MinMaxBytes = 64 * 1024;

    /// <summary>Buffer:Path, the SQLite file. A sidecar <c>&lt;Path&gt;.seq</c> lives beside it (docs/buffer.md).</summary>
    public string Path { get; set; } = "/var/lib/shelf-agent/outbox.db";

    /// <summary>Buffer:MaxBytes, the database file's size cap (the write-ahead log adds up to 4 MB). Default 256 MB.</summary>
    public long MaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Buffer:CommitWindowMs, the group-commit window: at most one commit (one fsync) per window.</summary>
    public int CommitWindowMs { get; set; } = 50;

    /// <summary>Buffer:Synchronous, Full or Normal (docs/buffer.md, "Durability", for the measurement behind the default).</summary>
    public OutboxSynchronous Synchronous { get; set; } = OutboxSynchronous.Full;

    /// <summary>Buffer:LiveWindowSeconds: readings newer than this go in the live lane, ahead of the backlog.</summary>
    public int LiveWindowSeconds { get; set; } = 60;

    /// <summary>
    /// Buffer:RawRetentionDays: days the device keeps every sample's raw grams (beyond the deadband) after publishing only
    /// per-minute summaries, for the <c>upload-readings</c> job. 0 keeps none. Older samples are deleted; a full buffer evicts
    /// them first, oldest first, before any unsent reading. Default 7.
    /// </summary>
    public int RawRetentionDays { get; set; } = 7;

    /// <summary>
    /// Buffer:RawDeadbandGrams: a sample is kept as raw grams only when its grams moved more than this from the slot's last
    /// kept sample (or its count or status changed, or it is the slot's first sample of a minute). 0 keeps every sample. Default 2.
    /// </summary>
    public double RawDeadbandGrams { get; set; } = 2.0;

    /// <summary>Most days of <see cref="RawRetentionDays"/>.</summary>
    public const int MaxRawRetentionDays = 366;

    /// <summary>Checks the values; each problem names its key under <paramref name="section"/>.</summary>
    public IEnumerable<ConfigProblem> Validate(string section = SectionName)
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            yield return new ConfigProblem($"{section}:Path", "must name the buffer's SQLite file");
        }
        else if (Path.EndsWith('/') || Directory.Exists(Path))
        {
            yield return new ConfigProblem($"{section}:Path", $"'{Path}' is a directory; name a file inside it");
        }

        if (MaxBytes < MinMaxBytes)
        {
            yield return new ConfigProblem($"{section}:MaxBytes", $"must be at least {MinMaxBytes} bytes (was {MaxBytes})");
        }

        if (CommitWindowMs is < 0 or > 1000)
        {
            yield return new ConfigProblem($"{section}:CommitWindowMs", $"must be 0..1000 ms (was {CommitWindowMs})");
        }

        if (!Enum.IsDefined(Synchronous))
        {
            yield return new ConfigProblem($"{section}:Synchronous", "must be Full or Normal");
        }

        if (RawRetentionDays is < 0 or > MaxRawRetentionDays)
        {
            yield return new ConfigProblem($"{section}:RawRetentionDays", $"must be 0..{MaxRawRetentionDays} days (was {RawRetentionDays})");
        }

        if (!double.IsFinite(RawDeadbandGrams) || RawDeadbandGrams is < 0 or > 1000)
        {
            yield return new ConfigProblem($"{section}:RawDeadbandGrams", $"must be 0..1000 grams (was {RawDeadbandGrams})");
        }

        if (LiveWindowSeconds is < 1 or > 86_400)
        {
            yield return new ConfigProblem($"{section}:LiveWindowSeconds", $"must be 1..86400 s (was {LiveWindowSeconds})");
        }
    }
}

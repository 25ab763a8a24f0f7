using System.Globalization;
using Microsoft.Data.Sqlite;
using ShelfAgent.Outbox;

namespace ShelfAgent.Update;

/// <summary>
/// The buffer after a rollback (issue 23: "nothing buffered is lost across an update or a rollback … or the rollback
/// says why not"). The new release may have moved the outbox to a schema the previous one cannot read; the previous
/// release would then refuse the buffer at every start and never report the job. At the start of the release rolled
/// back to, before the outbox opens: when update.state says <c>rolled-back</c> to this version and the buffer's schema
/// is newer than this agent reads, the file is moved aside whole (its rows kept, unpublished, for a release that reads
/// it), a fresh buffer starts, and the rollback's reason — the job's FAILED — says so first.
/// </summary>
public static class RolledBackBuffer
{
    /// <summary>The outbox schema this agent reads (and writes).</summary>
    public static int ReadableSchema => OutboxFile.SchemaVersion;

    /// <summary>
    /// Moves an unreadable buffer aside after a rollback and rewrites update.state's reason; returns the note (also in
    /// the reason) or null when nothing was done.
    /// </summary>
    /// <param name="records">update.state.</param>
    /// <param name="bufferPath">Buffer:Path.</param>
    /// <param name="runningVersion">This agent's version.</param>
    /// <param name="now">For the aside file's name.</param>
    /// <param name="cancellationToken">Cancels the write of update.state.</param>
    public static async Task<string?> SetAsideIfUnreadableAsync(
        UpdateRecordFile records, string bufferPath, string runningVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var record = records.Load(out _);
        if (record is not { Phase: UpdatePhase.RolledBack } || record.From != runningVersion || !File.Exists(bufferPath))
        {
            return null;
        }

        long schema, readings;
        try
        {
            (schema, readings) = OutboxInspector.SchemaAndReadings(bufferPath);
        }
        catch (SqliteException)
        {
            return null; // not readable as SQLite at all: the outbox's own recovery handles that (docs/buffer.md)
        }

        if (schema <= ReadableSchema)
        {
            return null;
        }

        var aside = OutboxFile.AsideName(bufferPath, now, $"schema{schema.ToString(CultureInfo.InvariantCulture)}");
        var rows = readings < 0 ? "its rows" : $"{readings.ToString(CultureInfo.InvariantCulture)} readings";
        // Short: the reason is a job status value (128 characters at most, StatusDetails), and this goes first.
        var note = $"{runningVersion} cannot read outbox schema {schema} (reads up to {ReadableSchema}): {rows} kept in {Path.GetFileName(aside)}";
        // The reason first, then the move: a kill between the two finds the buffer still newer at the next start and
        // writes the same note again (with the reason it kept).
        var reason = record.Reason ?? "rolled back";
        if (!reason.Contains(" cannot read outbox schema ", StringComparison.Ordinal))
        {
            reason = $"{note}; rolled back: {reason}";
        }

        await records.SaveAsync(record with { Reason = reason }, cancellationToken).ConfigureAwait(false);
        OutboxFile.MoveAside(bufferPath, aside);
        return note;
    }
}

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// The persisted <see cref="JobRecord"/>: one small JSON file, replaced atomically (write a temporary file, flush it to
/// the disk, rename over the old one) so a power cut leaves the old record or the new one, never half of either.
/// </summary>
/// <param name="path">The file (by default <c>jobs.json</c> beside the buffer, under /var/lib/shelf-agent).</param>
public sealed class JobStateFile(string path)
{
    /// <summary>The file's path.</summary>
    public string Path => path;

    /// <summary>The record, or null when there is none; an unreadable file is reported in <c>problem</c> and treated as none.</summary>
    public async Task<(JobRecord? Record, string? Problem)> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return (null, null);
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var record = JobRecordCodec.Decode(bytes, out var problem);
        return (record, problem is null ? null : $"{path}: {problem}");
    }

    /// <summary>Replaces the record.</summary>
    public async Task SaveAsync(JobRecord record, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Options = FileOptions.Asynchronous,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(JobRecordCodec.Encode(record), cancellationToken).ConfigureAwait(false);
            // On the disk before the rename makes it the record.
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the record (the service accepted the final update).</summary>
    public void Delete() => File.Delete(path);
}

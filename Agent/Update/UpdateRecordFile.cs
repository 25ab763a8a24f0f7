using System.Text;
using ShelfAgent.Storage;

namespace ShelfAgent.Update;

/// <summary><c>update.state</c> in the update folder (<c>Update:DownloadPath</c>), replaced atomically and durably (0600).</summary>
/// <param name="directory">The update folder.</param>
public sealed class UpdateRecordFile(string directory)
{
    /// <summary>The file's name.</summary>
    public const string FileName = "update.state";

    /// <summary>The file.</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>The update folder (downloads live here too).</summary>
    public string Directory { get; } = directory;

    /// <summary>The record, or null when there is none (or it is unreadable: then <paramref name="problem"/> says why).</summary>
    public UpdateRecord? Load(out string? problem)
    {
        problem = null;
        return File.Exists(Path) ? UpdateRecord.Decode(File.ReadAllText(Path), out problem) : null;
    }

    /// <summary>Writes the record (fsync, rename) before the step it describes takes effect.</summary>
    public Task SaveAsync(UpdateRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return DurableFile.WriteAsync(Path, Encoding.UTF8.GetBytes(record.Encode()), DurableFile.Private, cancellationToken);
    }

    /// <summary>Forgets the record (after the job's final status was accepted).</summary>
    public void Delete() => File.Delete(Path);
}

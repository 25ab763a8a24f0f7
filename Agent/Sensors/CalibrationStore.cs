using System.Text.Json;
using ShelfAgent.Storage;

namespace ShelfAgent.Sensors;

/// <summary>
/// Calibrations kept apart from agent.json (default /var/lib/shelf-agent/calibration.json, key
/// <c>Calibration:Path</c>), so re-deploying the operator's config does not wipe them. Writes are atomic:
/// a temporary file in the same directory is written and fsynced, renamed over the old one, and the
/// directory fsynced, so a power cut leaves either the old or the new file.
/// </summary>
public sealed class CalibrationStore(string path)
{
    /// <summary>Where the agent keeps calibrations by default (the systemd unit's StateDirectory).</summary>
    public const string DefaultPath = "/var/lib/shelf-agent/calibration.json";

    /// <summary>The file.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Reads every slot's calibration; a missing file is empty.</summary>
    /// <exception cref="IOException">The file is unreadable or not a calibration file (the message says which and where).</exception>
    public async Task<CalibrationFile> LoadAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(Path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new CalibrationFile();
        }
        catch (UnauthorizedAccessException e)
        {
            throw PermissionDenied(e);
        }

        return Parse(bytes);
    }

    /// <summary>As <see cref="LoadAsync"/>, for the start-up checks that run before anything is async.</summary>
    /// <exception cref="IOException">The file is unreadable or not a calibration file.</exception>
    public CalibrationFile Load()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new CalibrationFile();
        }
        catch (UnauthorizedAccessException e)
        {
            throw PermissionDenied(e);
        }

        return Parse(bytes);
    }

    private IOException PermissionDenied(Exception e)
        => new($"{Path}: permission denied reading calibrations (the service runs as user shelf-agent)", e);

    private CalibrationFile Parse(byte[] bytes)
    {
        try
        {
            var file = JsonSerializer.Deserialize(bytes, CalibrationJsonContext.Default.CalibrationFile)
                ?? throw new JsonException("the file holds null");
            file.Slots = new Dictionary<string, SlotCalibration>(file.Slots ?? [], StringComparer.OrdinalIgnoreCase);
            return file;
        }
        catch (JsonException e)
        {
            // The reader counts lines from 0 and appends its own position notation; say it as people count.
            var where = e.LineNumber is { } line ? $" at line {line + 1}" : "";
            throw new IOException(
                $"{Path} is not a valid calibration file (not JSON of the expected shape{where}: {e.Message.Split(" Path:")[0].Split(" LineNumber:")[0]}); " +
                "move it aside and calibrate again",
                e);
        }
    }

    /// <summary>Changes one slot's calibration and writes the file atomically; returns the new calibration.</summary>
    public async Task<SlotCalibration> UpdateAsync(string slotId, Func<SlotCalibration?, SlotCalibration> change, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(slotId);
        ArgumentNullException.ThrowIfNull(change);
        var file = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var updated = change(file.Slots.GetValueOrDefault(slotId));
        file.Slots[slotId] = updated;
        await WriteAtomicAsync(JsonSerializer.SerializeToUtf8Bytes(file, CalibrationJsonContext.Default.CalibrationFile), cancellationToken)
            .ConfigureAwait(false);
        return updated;
    }

    private async Task WriteAtomicAsync(byte[] content, CancellationToken cancellationToken)
    {
        try
        {
            await DurableFile.WriteAsync(Path, content, mode: null, cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException(
                $"{Path}: permission denied writing calibrations; run as the service user (sudo -u shelf-agent …) or fix the directory's owner", e);
        }
    }
}

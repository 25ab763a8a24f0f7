using System.Globalization;

namespace ShelfAgent.Clock;

/// <summary>
/// The persisted floor: one ISO-8601 UTC line in <c>time-floor</c> beside the buffer file. Written to a temporary file
/// and renamed, so a power cut leaves the old floor or the new one.
/// </summary>
public sealed class TimeFloorStore(string path)
{
    /// <summary>The file name beside <c>Buffer:Path</c>.</summary>
    public const string FileName = "time-floor";

    /// <summary>The file.</summary>
    public string Path => path;

    /// <summary>The store beside <paramref name="bufferPath"/>.</summary>
    public static TimeFloorStore Beside(string bufferPath)
        => new(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(bufferPath)) ?? ".", FileName));

    /// <summary>The persisted floor, or null when there is none or it is unreadable.</summary>
    public DateTimeOffset? Load()
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var floor)
                ? floor
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Replaces the floor.</summary>
    public async Task SaveAsync(DateTimeOffset floor, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, floor.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }
}

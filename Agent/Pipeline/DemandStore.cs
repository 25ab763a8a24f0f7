using System.Globalization;
using System.Text.Json;
using ShelfAgent.Contract;
using ShelfAgent.Stock.Forecasting;
using ShelfAgent.Storage;

namespace ShelfAgent.Pipeline;

/// <summary>
/// The demand the device learned (<c>Stock:DemandPath</c>, default /var/lib/shelf-agent/demand.json, beside the
/// buffer and calibrations), so a restart does not forget weeks of learning. Written atomically like the
/// calibration file: temporary file, fsync, rename, fsync of the directory — a power cut leaves the old or the new.
/// A file that cannot be read is moved aside and learning starts again (losing learning is better than not running).
/// </summary>
public sealed class DemandStore(string path)
{
    /// <summary>The file.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Reads the file; a missing file is an empty state. Returns a problem text when the file was unusable.</summary>
    public async Task<(DemandState State, string? Problem)> LoadAsync(CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(Path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (DemandState.Empty, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (DemandState.Empty, $"{Path}: cannot read the learned demand ({e.Message}); learning starts again");
        }

        if (Decode(bytes) is { } state)
        {
            return (state, null);
        }

        var aside = $"{Path}.corrupt-{DateTime.UtcNow.ToString("yyyyMMddTHHmmss", CultureInfo.InvariantCulture)}";
        try
        {
            File.Move(Path, aside, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            aside = "(could not move it aside: " + e.Message + ")";
        }

        return (DemandState.Empty, $"{Path} is not a demand file; moved to {aside}, learning starts again");
    }

    /// <summary>Writes the state atomically.</summary>
    public async Task SaveAsync(DemandState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await DurableFile.WriteAsync(Path, Encode(state), mode: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>{"schema":"shelf.demand-state.v1","saved","slots":[{"slot","sku","picks":[168],"hours":[168]}]}</c>.</summary>
    public static byte[] Encode(DemandState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return StockMessageEncoder.Write(w =>
        {
            w.WriteString("schema"u8, DemandState.Schema);
            w.WriteString("saved"u8, WireFormat.Timestamp(state.Saved == DateTimeOffset.MinValue ? DateTimeOffset.UnixEpoch : state.Saved));
            w.WriteStartArray("slots"u8);
            foreach (var s in state.Slots)
            {
                w.WriteStartObject();
                w.WriteString("slot"u8, s.Slot);
                w.WriteString("sku"u8, s.Sku);
                Numbers(w, "picks"u8, s.Picks);
                Numbers(w, "hours"u8, s.Hours);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>The state in <paramref name="bytes"/>, or null when they are not a demand file.</summary>
    public static DemandState? Decode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (!root.TryGetProperty("schema", out var schema) || schema.GetString() != DemandState.Schema)
            {
                return null;
            }

            var saved = root.TryGetProperty("saved", out var s) && s.TryGetDateTimeOffset(out var t) ? t : DateTimeOffset.MinValue;
            var slots = new List<SlotDemandState>();
            foreach (var e in root.GetProperty("slots").EnumerateArray())
            {
                var picks = e.GetProperty("picks").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                var hours = e.GetProperty("hours").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                if (picks.Length != HourOfWeek.Count || hours.Length != HourOfWeek.Count)
                {
                    return null;
                }

                slots.Add(new SlotDemandState(e.GetProperty("slot").GetString()!, e.GetProperty("sku").GetString()!, picks, hours));
            }

            return new DemandState(saved, slots);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return null;
        }
    }

    private static void Numbers(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<double> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(Math.Round(v, 5));
        }

        w.WriteEndArray();
    }
}

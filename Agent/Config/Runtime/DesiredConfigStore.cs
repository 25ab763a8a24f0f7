using System.Text.Json;
using System.Text.Json.Nodes;
using ShelfAgent.Storage;

namespace ShelfAgent.Config.Runtime;

/// <summary>
/// The remotely accepted configuration on disk (<c>desired-config.json</c> beside the buffer file), so a device that
/// boots offline runs with the last accepted desired state (issue 14). Holds agent.json's shape with slots keyed by
/// id and values as text: <c>{"Sampling":{"IntervalMs":"500"},"Slots":{"A1":{"LowStockAt":"3"}}}</c>. Written to a
/// temporary file, flushed and renamed over the old one, so a power cut leaves the old or the new file, never half.
/// </summary>
public sealed class DesiredConfigStore(string path)
{
    /// <summary>The file name beside <c>Buffer:Path</c>.</summary>
    public const string FileName = "desired-config.json";

    /// <summary>The file.</summary>
    public string Path => path;

    /// <summary>The store beside <paramref name="bufferPath"/>.</summary>
    public static DesiredConfigStore Beside(string bufferPath)
        => new(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(bufferPath)) ?? ".", FileName));

    /// <summary>The persisted change (empty when there is none), or a problem when the file is unreadable (it is then ignored).</summary>
    public async Task<(JsonObject Changes, string? Problem)> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return ([], null);
        }

        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(bytes) is JsonObject o ? (o, null) : ([], $"{path}: not a JSON object; ignored");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return ([], $"{path}: cannot be read ({e.Message}); the device runs with agent.json until the next desired state arrives");
        }
    }

    /// <summary>Replaces the file with <paramref name="entries"/> (display keys → value).</summary>
    public async Task SaveAsync(IEnumerable<ConfigPatchEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var root = ToDocument(entries);
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            root.WriteTo(writer);
        }

        // The one way state files are replaced: a power cut leaves the old file or the new one.
        await DurableFile.WriteAsync(path, buffer.ToArray(), mode: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>agent.json's shape from display keys (<c>Slots:A1:LowStockAt</c> → Slots → A1 → LowStockAt).</summary>
    public static JsonObject ToDocument(IEnumerable<ConfigPatchEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var root = new JsonObject();
        foreach (var entry in entries.Where(e => e.Value is not null))
        {
            var parts = entry.Key.Split(':');
            var node = root;
            foreach (var part in parts[..^1])
            {
                if (node[part] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[part] = child;
                }

                node = child;
            }

            // A demand profile is kept as the object it arrived as, so the file reads like the desired state.
            node[parts[^1]] = parts[0] == RemoteConfigKeys.DemandProfiles && entry.Value is { Length: > 0 } text ? JsonNode.Parse(text) : entry.Value;
        }

        return root;
    }
}

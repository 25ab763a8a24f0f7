using System.Collections.Concurrent;

namespace ShelfAgent.Simulator;

/// <summary>
/// Simulated sensor faults counted by kind ("timeout", "range" …) instead of one warning line per failed
/// read: in a 60 s run they were 885 of 888 printed lines and hid what mattered.
/// </summary>
public sealed class FaultTally
{
    private readonly ConcurrentDictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _devices = new(StringComparer.Ordinal);

    /// <summary>Faults counted.</summary>
    public long Total => _byKind.Values.Sum();

    /// <summary>Counts one fault of a device; the kind is the reason's first word ("timeout: HX711 not ready" → timeout).</summary>
    public void Add(string device, string? reason)
    {
        var kind = reason is { Length: > 0 } r ? r.Split(':', 2)[0].Trim() : "fault";
        _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        _devices.TryAdd(device, 0);
    }

    /// <summary>"885 simulated sensor faults on 20 devices: timeout 880, range 5", or null when there were none.</summary>
    public string? Summary()
    {
        if (_byKind.IsEmpty)
        {
            return null;
        }

        var kinds = string.Join(", ", _byKind.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value:N0}"));
        return $"{Total:N0} simulated sensor faults on {_devices.Count} device{(_devices.Count == 1 ? "" : "s")}: {kinds} " +
            $"(each retried as on a real shelf; --verbose logs every one)";
    }
}

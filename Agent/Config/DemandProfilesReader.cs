using ShelfAgent.Contract;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Config;

/// <summary>
/// Reads <c>DemandProfiles:&lt;SlotId&gt;</c>, the demand profiles accepted as shadow desired state (docs/shadow.md):
/// each value is a <see cref="DesiredDemandProfile"/> entry (JSON text), read with <see cref="DemandProfileParser"/>'s
/// rules, for a slot of agent.json; "" means none (the file's profile, if any, applies again). Together they may take
/// at most <see cref="DesiredDemandProfile.MaxTotalBytes"/>, so the shadow's 8 KB document still holds the report.
/// A slot's profile from here replaces any profile of <c>Stock:ProfilesPath</c> for that slot.
/// </summary>
internal static class DemandProfilesReader
{
    public const string Section = "DemandProfiles";

    public static void Read(ConfigReader r, AgentOptions o)
    {
        var remote = new Dictionary<string, DemandProfile>(StringComparer.Ordinal);
        var entries = new List<(string Key, string Text, SlotOptions? Slot)>();
        foreach (var child in r.Root.GetSection(Section).GetChildren())
        {
            var key = $"{Section}:{child.Key}";
            r.MarkRead(key);
            if (child.Value is null)
            {
                r.Consumed(key);
                r.Problem(key, "must be a demand profile entry {\"sku\",\"picksPerHour\",…} (docs/shadow.md)");
            }
            else if (child.Value.Length > 0)
            {
                entries.Add((key, child.Value, o.Slots.FirstOrDefault(s => string.Equals(s.Id, child.Key, StringComparison.OrdinalIgnoreCase))));
            }
        }

        // Over the budget, every entry carries the problem, so the judge refuses the ones being added (its own key)
        // and keeps those accepted before.
        var total = entries.Sum(e => e.Text.Length);
        foreach (var (key, text, slot) in entries)
        {
            if (slot is null)
            {
                r.Problem(key, $"no slot with Id \"{key[(Section.Length + 1)..]}\" in agent.json");
            }
            else if (total > DesiredDemandProfile.MaxTotalBytes)
            {
                r.Problem(
                    key,
                    $"the desired demand profiles would take {total} bytes, over the {DesiredDemandProfile.MaxTotalBytes} bytes " +
                    $"the shadow's 8 KB document (AWS IoT) leaves beside the reported state: at most {MaxSlots} slots carry a desired profile");
            }
            else if (!DesiredDemandProfile.TryDecode(text, o.Device.StoreId, o.Device.ThingName, slot.Id, out var profile, out var problem))
            {
                r.Problem(key, problem);
            }
            else if (!string.Equals(profile.Sku, slot.Sku, StringComparison.Ordinal))
            {
                r.Problem(key, $"is for sku \"{profile.Sku}\" but slot {slot.Id} holds \"{slot.Sku}\"");
            }
            else
            {
                remote[slot.Id] = profile;
            }
        }

        o.Stock.RemoteProfiles = remote;
        if (remote.Count > 0)
        {
            o.Stock.Profiles = Merge(o.Stock.Profiles, remote.Values.ToList(), o.Device.ThingName);
        }
    }

    /// <summary>How many entries of typical size fit in the budget.</summary>
    public static int MaxSlots => DesiredDemandProfile.MaxTotalBytes / TypicalEntryBytes;

    // {"sku":"<16 chars>","generated":"2026-12-01T00:00:00.000Z","weeks":8,"picksPerHour":"<448>"} is 541 bytes.
    private const int TypicalEntryBytes = 541;

    /// <summary>The desired profiles first, so <see cref="DemandProfile.Match"/> finds them; the file's for the same slot dropped.</summary>
    public static IReadOnlyList<DemandProfile> Merge(IReadOnlyList<DemandProfile> file, IReadOnlyList<DemandProfile> desired, string thing)
        => [.. desired, .. file.Where(f => !(f.Thing == thing && f.Slot is not null && desired.Any(d => d.Slot == f.Slot)))];
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace ShelfAgent.Config.Runtime;

/// <summary>
/// Turns a change in agent.json's shape (<c>{"Sampling":{"IntervalMs":500},"Slots":{"A1":{"LowStockAt":3}}}</c>)
/// into flat configuration keys. Pure. Slots are addressed by <c>Id</c>, never by position: the shadow replaces arrays
/// whole (AWS IoT Developer Guide, "Device Shadow service documents": arrays are treated as values), so desired state
/// names slots in an object keyed by id; <c>config-update</c> jobs may also send agent.json's array form with <c>Id</c>.
/// Anything not settable remotely is refused here with the reason; values are judged later by the loader's rules.
/// </summary>
public static class ConfigPatch
{
    /// <summary>The entries to validate and the keys refused already.</summary>
    /// <param name="changes">The change.</param>
    /// <param name="slotIds">The slots of agent.json, in order.</param>
    public static (IReadOnlyList<ConfigPatchEntry> Entries, IReadOnlyList<ConfigKeyResult> Refused) Parse(JsonObject changes, IReadOnlyList<string> slotIds)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(slotIds);
        var entries = new List<ConfigPatchEntry>();
        var refused = new List<ConfigKeyResult>();
        foreach (var (section, node) in changes)
        {
            if (string.Equals(section, "Slots", StringComparison.OrdinalIgnoreCase))
            {
                ParseSlots(node, slotIds, entries, refused);
            }
            else if (string.Equals(section, RemoteConfigKeys.DemandProfiles, StringComparison.OrdinalIgnoreCase))
            {
                ParseDemandProfiles(node, slotIds, entries, refused);
            }
            else if (node is JsonObject children)
            {
                foreach (var (name, value) in children)
                {
                    var key = $"{section}:{name}";
                    if (RemoteConfigKeys.Canonical(key) is not { } canonical)
                    {
                        refused.Add(new ConfigKeyResult(key, false, $"not settable remotely ({RemoteConfigKeys.Settable})"));
                    }
                    else
                    {
                        Add(canonical, canonical, value, entries, refused);
                    }
                }
            }
            else
            {
                refused.Add(new ConfigKeyResult(section, false, $"must be an object of keys, as in agent.json ({RemoteConfigKeys.Settable})"));
            }
        }

        return (entries, refused);
    }

    private static void ParseSlots(JsonNode? node, IReadOnlyList<string> slotIds, List<ConfigPatchEntry> entries, List<ConfigKeyResult> refused)
    {
        var bySlot = new List<(string Id, JsonObject Settings)>();
        switch (node)
        {
            case JsonObject keyed:
                foreach (var (id, settings) in keyed)
                {
                    if (settings is JsonObject o)
                    {
                        bySlot.Add((id, o));
                    }
                    else
                    {
                        refused.Add(new ConfigKeyResult($"Slots:{id}", false, "must be an object of slot settings, e.g. {\"LowStockAt\":3}"));
                    }
                }

                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is JsonObject o && o["Id"] is JsonValue idValue && idValue.TryGetValue<string>(out var id))
                    {
                        var settings = new JsonObject();
                        foreach (var (name, value) in o.Where(p => p.Key != "Id").ToList())
                        {
                            settings[name] = value?.DeepClone();
                        }

                        bySlot.Add((id, settings));
                    }
                    else
                    {
                        refused.Add(new ConfigKeyResult($"Slots:{i}", false, "each slot must carry its \"Id\" (slots are matched by id, not by position)"));
                    }
                }

                break;
            default:
                refused.Add(new ConfigKeyResult(
                    "Slots", false, "must be an object keyed by slot id ({\"A1\":{\"LowStockAt\":3}}) or an array of slots with \"Id\""));
                return;
        }

        foreach (var (id, settings) in bySlot)
        {
            var index = -1;
            for (var i = 0; i < slotIds.Count; i++)
            {
                if (string.Equals(slotIds[i], id, StringComparison.OrdinalIgnoreCase))
                {
                    index = i;
                    break;
                }
            }

            foreach (var (name, value) in settings)
            {
                var key = $"Slots:{(index >= 0 ? slotIds[index] : id)}:{name}";
                if (index < 0)
                {
                    refused.Add(new ConfigKeyResult(key, false, $"no slot with Id \"{id}\" in agent.json (slots are added or removed only there)"));
                }
                else if (RemoteConfigKeys.CanonicalSlotSetting(name) is not { } canonical)
                {
                    refused.Add(new ConfigKeyResult(key, false, $"not settable remotely ({RemoteConfigKeys.Settable})"));
                }
                else
                {
                    Add($"Slots:{slotIds[index]}:{canonical}", $"Slots:{index}:{canonical}", value, entries, refused);
                }
            }
        }
    }

    // A profile entry travels as one value (its compact JSON text), so the judge accepts or refuses a slot's profile whole.
    private static void ParseDemandProfiles(JsonNode? node, IReadOnlyList<string> slotIds, List<ConfigPatchEntry> entries, List<ConfigKeyResult> refused)
    {
        if (node is not JsonObject keyed)
        {
            refused.Add(new ConfigKeyResult(
                RemoteConfigKeys.DemandProfiles, false, "must be an object keyed by slot id ({\"A1\":{\"sku\":…,\"picksPerHour\":…}}; docs/shadow.md)"));
            return;
        }

        foreach (var (id, value) in keyed)
        {
            var canonical = slotIds.FirstOrDefault(s => string.Equals(s, id, StringComparison.OrdinalIgnoreCase));
            var key = $"{RemoteConfigKeys.DemandProfiles}:{canonical ?? id}";
            if (canonical is null)
            {
                refused.Add(new ConfigKeyResult(key, false, $"no slot with Id \"{id}\" in agent.json (slots are added or removed only there)"));
            }
            else if (value is null || value is JsonObject)
            {
                entries.Add(new ConfigPatchEntry(key, key, value is null ? null : Contract.DesiredDemandProfile.Text(value)));
            }
            else if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0)
            {
                // "" : no desired profile for the slot (a shadow cannot send null as a change).
                entries.Add(new ConfigPatchEntry(key, key, ""));
            }
            else
            {
                refused.Add(new ConfigKeyResult(key, false, "must be a demand profile object {\"sku\",\"picksPerHour\",…} or \"\" for none (docs/shadow.md)"));
            }
        }
    }

    private static void Add(string key, string flatKey, JsonNode? value, List<ConfigPatchEntry> entries, List<ConfigKeyResult> refused)
    {
        if (value is null)
        {
            entries.Add(new ConfigPatchEntry(key, flatKey, null));
            return;
        }

        if (value is not JsonValue v)
        {
            refused.Add(new ConfigKeyResult(key, false, "must be a single value (a number or a string), not an object or an array"));
            return;
        }

        var text = v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
        if (text is null)
        {
            refused.Add(new ConfigKeyResult(key, false, "must be a number or a string"));
            return;
        }

        entries.Add(new ConfigPatchEntry(key, flatKey, text));
    }
}

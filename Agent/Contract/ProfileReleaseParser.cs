using System.Text.Json;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Contract;

/// <summary>
/// Reads a <c>shelf.profile.release.v1</c> artifact (<see cref="ProfileRelease"/>). Every profile is read by
/// <see cref="DemandProfileParser.TryRead"/>, the rules of <c>Stock:ProfilesPath</c>; one bad profile, or one for another
/// store, refuses the whole artifact (it was signed as a whole, so a bad line is a bug upstream, not noise). Pure.
/// </summary>
public static class ProfileReleaseParser
{
    /// <summary>Parses <paramref name="json"/>; false with the reason when it is not a usable release artifact.</summary>
    public static bool TryParse(ReadOnlySpan<byte> json, out ProfileRelease release, out string problem)
    {
        release = null!;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            problem = $"the artifact is not JSON: {e.Message.Split(" LineNumber:")[0]}";
            return false;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Str(root, "schema") != ProfileRelease.Schema)
            {
                problem = $"the artifact is not a {ProfileRelease.Schema} document (\"schema\" must say so)";
                return false;
            }

            var id = Str(root, "release");
            if (!ProfileRelease.IsValidId(id))
            {
                problem = "the artifact's \"release\" must be a release id (1–64 of A-Z a-z 0-9 . _ -)";
                return false;
            }

            if (Str(root, "store") is not { Length: > 0 } store)
            {
                problem = "the artifact has no \"store\"";
                return false;
            }

            if (!root.TryGetProperty("profiles", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                problem = "the artifact has no \"profiles\" array";
                return false;
            }

            var profiles = new List<DemandProfile>(list.GetArrayLength());
            var n = 0;
            foreach (var element in list.EnumerateArray())
            {
                n++;
                if (!DemandProfileParser.TryRead(element, out var profile, out var bad))
                {
                    problem = $"profile {n} of the artifact: {bad}";
                    return false;
                }

                if (profile.Store != store)
                {
                    problem = $"profile {n} of the artifact is for store {profile.Store}, not the artifact's {store}";
                    return false;
                }

                profiles.Add(profile with { Release = id });
            }

            release = new ProfileRelease(id!, store, profiles);
            problem = "";
            return true;
        }
    }

    private static string? Str(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

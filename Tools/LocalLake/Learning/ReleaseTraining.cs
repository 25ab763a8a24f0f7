using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using ShelfAgent.Cloud.Governance;
using ShelfAgent.Cloud.Learning;
using ShelfAgent.Contract;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Learning;

/// <summary>Train → propose: runs the training on the lake and stores the result as a proposed release.</summary>
public static class ReleaseTraining
{
    private static readonly string[] SourceNames = ["shelf", "sales", "blend"];

    /// <summary>Trains on [end − 6 weeks, end) and proposes the release <paramref name="id"/> as <paramref name="by"/>.</summary>
    /// <exception cref="UnauthorizedAccessException">The actor's profile may not propose (ProfileMatrix).</exception>
    public static ReleaseRecord Propose(LocalLakeStore lake, ReleaseStore releases, string id, DateOnly end, Actor by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(by);
        if (!ProfileMatrix.MayProposeRelease(by.Profile))
        {
            throw new UnauthorizedAccessException(
                $"profile {by.Profile} may not propose a release (ProfileMatrix: " +
                $"{string.Join(", ", ProfileMatrix.Profiles.Keys.Where(ProfileMatrix.MayProposeRelease))} may)");
        }

        var trained = Trainer.Train(lake, end, now);
        var lines = new StringBuilder();
        foreach (var t in trained)
        {
            var doc = JsonNode.Parse(DemandProfileEncoder.Encode(t.Profile))!.AsObject();
            doc["source"] = t.Source;
            doc["release"] = id;
            lines.Append(doc.ToJsonString()).Append('\n');
        }

        var from = end.AddDays(-TrainingQuery.Weeks * 7);
        var window = $"dt >= '{Day(from)}' AND dt < '{Day(end)}'";
        long Count(string sql) => (long)QueryResult.Number(lake.Query(sql).Rows[0][0]);
        var text = lines.ToString();
        var record = new ReleaseRecord
        {
            Id = id,
            Created = now,
            TrainedFrom = from,
            TrainedTo = end,
            Sources = SourceNames.ToDictionary(s => s, s => trained.Count(t => t.Source == s)),
            Rows = new Dictionary<string, long>
            {
                ["curated_readings"] = Count($"SELECT count(*) FROM curated_readings WHERE {window}"),
                ["curated_events_picks"] = Count($"SELECT count(*) FROM curated_events WHERE {window} AND type = 'pick'"),
                ["curated_sales"] = Count(
                    $"SELECT count(*) FROM curated_sales WHERE sold_at >= DATE '{Day(from)}' AND sold_at < DATE '{Day(end)}'"),
            },
            CodeVersion = typeof(ReleaseTraining).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            ProfilesSha256 = ReleaseStore.Sha256(text),
            ProposedBy = by,
        };
        releases.Propose(record, text);
        return record;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

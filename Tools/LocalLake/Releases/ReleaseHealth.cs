using System.Globalization;
using ShelfAgent.Cloud.Releases;
using ShelfAgent.LocalLake.Lake;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>One row of the release-health query: a store's slot-days on one release (<c>cloud:&lt;release&gt;</c>, or what
/// else its forecasts named) and its strict figures.</summary>
public sealed record ReleaseHealthRow(string Store, string Profile, long SlotDays, long StockOuts, long Caught, long Alerts, long FalseAlarms)
{
    /// <summary>As the watch's figures (a confirmed alert is one that is not a false alarm).</summary>
    public QualityFigures Figures => new()
    {
        StockOuts = (int)StockOuts,
        Caught = (int)Caught,
        Alerts = (int)Alerts,
        TrueAlerts = (int)(Alerts - FalseAlarms),
        SlotDays = SlotDays,
    };
}

/// <summary>
/// The Cloud's <c>release-health</c> query (<see cref="ReleaseHealthQuery"/>, the SQL text Athena runs for the
/// release-watch Lambda) on the local lake's curated tables: the same text, <c>{FROM}</c> replaced as the Lambda does,
/// nothing else changed (DuckDB reads Trino's <c>max_by</c>, <c>count_if</c>, <c>bool_or</c> and
/// <c>interval '30' minute</c> alike; LocalLake.Tests checks the rows on a hand-made lake).
/// </summary>
public static class ReleaseHealth
{
    /// <summary>The rows since <paramref name="from"/> (curated days ≥ it), by store and profile.</summary>
    public static IReadOnlyList<ReleaseHealthRow> Rows(LocalLakeStore lake, DateOnly from)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var sql = ReleaseHealthQuery.Sql.Replace(ReleaseHealthQuery.From, from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return lake.Query(sql).Rows.Select(r => new ReleaseHealthRow(
            (string)r[0]!, (string)r[1]!, Count(r[2]), Count(r[3]), Count(r[4]), Count(r[5]), Count(r[6]))).ToList();
    }

    /// <summary>Each thing's store, as its forecasts in the lake say (the curated table; the topic pins it to the certificate).</summary>
    public static IReadOnlyDictionary<string, string> StoresOfThings(LocalLakeStore lake)
    {
        ArgumentNullException.ThrowIfNull(lake);
        return lake.Query("SELECT thing, max(store) FROM curated_forecasts WHERE thing IS NOT NULL AND store IS NOT NULL GROUP BY thing").Rows
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!, StringComparer.Ordinal);
    }

    private static long Count(object? value) => (long)QueryResult.Number(value);
}

using System.Globalization;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.LocalLake.Lake;

/// <summary>
/// Raw → curated with the Cloud's own MERGE statements (<see cref="StarterQueries"/>: curate-readings, curate-events,
/// curate-forecasts), which DuckDB runs as written once their window is bound: Athena merges yesterday's arrival day
/// against the target's last TargetDays days; the local lake, whose data is simulated in the past, merges every arrival
/// day from a given day on against the target from TargetDays before it (the only text changes, <see cref="Bind"/>). Sales: the DMS rows' latest state per
/// sale_id, deletes applied, as curate-sales does.
/// </summary>
public static class Curation
{
    /// <summary>The window of the Cloud's MERGE statements: yesterday's arrival day (run nightly by the scheduler).</summary>
    public const string AthenaWindow = "r.dt = cast(cast(current_date - interval '1' day AS date) AS varchar)";

    /// <summary>Merges raw rows of arrival days ≥ <paramref name="fromDay"/> (yyyy-MM-dd) into the curated tables.</summary>
    public static void Run(LocalLakeStore lake, string fromDay)
    {
        ArgumentNullException.ThrowIfNull(lake);
        foreach (var name in new[] { StarterQueries.CurateReadings, StarterQueries.CurateEvents, StarterQueries.CurateForecasts })
        {
            lake.Execute(Bind(StarterQueries.All.Single(q => q.Name == name).Sql, fromDay));
        }

        lake.Execute($"""
            DELETE FROM curated_sales WHERE sale_id IN (
              SELECT sale_id FROM raw_sales WHERE dt >= {LocalLakeStore.Literal(fromDay)});
            INSERT INTO curated_sales
            SELECT cdc_ts, sale_id, store_id, sku, quantity, unit_price, sold_at FROM (
              SELECT r.*, row_number() OVER (PARTITION BY sale_id ORDER BY cdc_ts DESC) AS copy
              FROM raw_sales r WHERE r.dt >= {LocalLakeStore.Literal(fromDay)}) AS latest
            WHERE copy = 1 AND coalesce(op, 'I') <> 'D';
            """);
    }

    /// <summary>The Cloud's curation text with its window bound to <paramref name="fromDay"/>.</summary>
    public static string Bind(string athenaSql, string fromDay)
    {
        ArgumentNullException.ThrowIfNull(athenaSql);
        if (!athenaSql.Contains(AthenaWindow, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the Cloud's curation SQL no longer has the window this binds; update Curation.AthenaWindow");
        }

        // On one machine a turn curates every arrival day since fromDay at once, not one night's, on traces that may lie
        // months before today: the target's bound (TargetDays before the window) counts from fromDay too.
        var targetFrom = DateOnly.TryParseExact(fromDay, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                         && day.DayNumber > StarterQueries.TargetDays
            ? day.AddDays(-StarterQueries.TargetDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : "0000-01-01";
        return athenaSql
            .Replace(AthenaWindow, "r.dt >= " + LocalLakeStore.Literal(fromDay), StringComparison.Ordinal)
            .Replace(AthenaTargetBound, LocalLakeStore.Literal(targetFrom), StringComparison.Ordinal);
    }

    private static readonly string AthenaTargetBound = string.Create(
        CultureInfo.InvariantCulture, $"cast(cast(current_date - interval '{StarterQueries.TargetDays}' day AS date) AS varchar)");
}

using System.Globalization;
using ShelfAgent.Cloud.Lake;

namespace ShelfAgent.LocalLake.Lake;

/// <summary>
/// The Cloud's named queries (<see cref="StarterQueries"/>: restock-list, prediction-health, …) on the local lake, text
/// unchanged except, when asked, "now": simulated data lies in the past, so <c>current_date</c> and
/// <c>current_timestamp</c> can be bound to a given instant (the only change; both engines read the literals alike).
/// </summary>
public static class NamedQueries
{
    /// <summary>The SQL of <paramref name="nameOrSql"/> (a named query's name, or SQL itself), "now" bound when given.</summary>
    public static string Resolve(string nameOrSql, DateTimeOffset? now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrSql);
        var sql = StarterQueries.All.FirstOrDefault(q => q.Name == nameOrSql)?.Sql ?? nameOrSql;
        if (now is { } at)
        {
            var utc = at.UtcDateTime;
            sql = sql
                .Replace("current_timestamp", $"TIMESTAMP '{utc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)}'", StringComparison.Ordinal)
                .Replace("current_date", $"DATE '{utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'", StringComparison.Ordinal);
        }

        return sql;
    }
}

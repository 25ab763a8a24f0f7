using System.Globalization;
using ShelfAgent.Cloud.Learning;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.LocalLake.Learning;

/// <summary>One trained profile: the device's <see cref="DemandProfile"/> and where it came from.</summary>
/// <param name="Profile">The profile.</param>
/// <param name="Source"><c>shelf</c>, <c>sales</c> or <c>blend</c>.</param>
/// <param name="ShelfHours">In-stock hours of shelf history behind it.</param>
/// <param name="SalesUnits">Units the store sold of the SKU in the window.</param>
public sealed record TrainedProfile(DemandProfile Profile, string Source, double ShelfHours, long SalesUnits);

/// <summary>Runs the Cloud's training SELECT (<see cref="TrainingQuery"/>) on the local lake.</summary>
public static class Trainer
{
    /// <summary>Profiles trained on [end − 6 weeks, end).</summary>
    public static IReadOnlyList<TrainedProfile> Train(LocalLakeStore lake, DateOnly end, DateTimeOffset generated)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var sql = TrainingQuery.Select($"DATE '{end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'", withSales: true);
        var result = lake.Query(sql);
        int Col(string name) => result.Columns.ToList().IndexOf(name);
        var profiles = new List<TrainedProfile>();
        foreach (var row in result.Rows)
        {
            var rates = ((System.Collections.IEnumerable)row[Col("rates")]!).Cast<object?>()
                .Select(v => Math.Max(0, Convert.ToDouble(v ?? 0d, CultureInfo.InvariantCulture))).ToList();
            var profile = new DemandProfile(
                (string)row[Col("store")]!, (string)row[Col("thing")]!, (string)row[Col("slot")]!, (string)row[Col("sku")]!,
                generated, Convert.ToInt32(row[Col("weeks")], CultureInfo.InvariantCulture), rates);
            profiles.Add(new TrainedProfile(
                profile, (string)row[Col("source")]!, Convert.ToDouble(row[Col("shelf_hours")], CultureInfo.InvariantCulture),
                (long)QueryResult.Number(row[Col("sales_units")])));
        }

        return profiles;
    }
}

using ShelfAgent.Contract;
using ShelfAgent.Stock;

namespace ShelfAgent.Config;

/// <summary>Reads and checks the <c>Stock</c> section; a profiles file is read here so a bad one stops the start (exit 78).</summary>
internal static class StockOptionsReader
{
    public static StockOptions Read(ConfigReader r)
    {
        var o = new StockOptions();
        o.PredictHorizonMinutes = r.Int("Stock:PredictHorizonMinutes", o.PredictHorizonMinutes, 5, 24 * 60);
        o.PredictConfidence = r.Double("Stock:PredictConfidence", o.PredictConfidence, 0.5, 0.999);
        o.ForecastIntervalMinutes = r.Int("Stock:ForecastIntervalMinutes", o.ForecastIntervalMinutes, 1, 24 * 60);
        if (o.ForecastIntervalMinutes > 0 && 1440 % o.ForecastIntervalMinutes != 0)
        {
            r.Problem(
                "Stock:ForecastIntervalMinutes",
                $"must divide a day (1440 minutes) evenly, so forecasts fall on the same clock times every day (was {o.ForecastIntervalMinutes})");
        }

        o.DemandPath = r.String("Stock:DemandPath");
        o.ProfilesPath = r.String("Stock:ProfilesPath");
        if (o.ProfilesPath is { } path)
        {
            o.Profiles = ReadProfiles(r, path);
        }

        return o;
    }

    private static IReadOnlyList<Stock.Forecasting.DemandProfile> ReadProfiles(ConfigReader r, string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            r.Problem("Stock:ProfilesPath", $"file not found: {path}");
            return [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            r.Problem("Stock:ProfilesPath", $"cannot read {path}: {e.Message}");
            return [];
        }

        var (profiles, problems) = DemandProfileParser.Parse(text);
        foreach (var p in problems.Take(5))
        {
            r.Problem("Stock:ProfilesPath", $"{path}: {p}");
        }

        if (problems.Count > 5)
        {
            r.Problem("Stock:ProfilesPath", $"{path}: {problems.Count - 5} more bad lines");
        }

        return profiles;
    }
}

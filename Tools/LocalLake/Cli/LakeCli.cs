using System.CommandLine;
using System.Globalization;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Lake;

namespace ShelfAgent.LocalLake.Cli;

/// <summary>The command tree of <c>local-lake</c> (docs/models.md).</summary>
public static class LakeCli
{
    private static readonly string[] CuratedTables = ["curated_readings", "curated_events", "curated_forecasts", "curated_sales"];

    /// <summary>Builds the root command.</summary>
    public static RootCommand Create()
    {
        var lake = new Option<string>("--lake") { Description = "the lake's folder", DefaultValueFactory = _ => ".dev/lake", Recursive = true };
        return new RootCommand(
            "local-lake: the learning loop on one machine — a DuckDB lake laid out as the cloud's, the cloud's SQL, releases (docs/models.md)")
        {
            lake,
            Ingest(lake),
            ListenCommand.Create(lake),
            Curate(lake),
            Query(lake),
            LoopCommands.Train(lake),
            LoopCommands.Evaluate(lake),
            LoopCommands.Approve(lake),
            LoopCommands.Releases(lake),
            RolloutCommands.Canary(lake),
            RolloutCommands.Publish(lake),
            ServeCommand.Create(lake),
            RolloutCommands.Watch(lake),
            RolloutCommands.RollBack(lake),
            RolloutCommands.Loop(lake),
        };
    }

    /// <summary>Parses an instant (ISO-8601, UTC when no offset).</summary>
    public static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static Command Ingest(Option<string> lake)
    {
        var traces = new Option<string>("--traces") { Description = "a shelf-sim traces folder", Required = true };
        var from = new Option<string?>("--from") { Description = "first instant to take (UTC; default: all)" };
        var to = new Option<string?>("--to") { Description = "instant to stop before (UTC; default: all)" };
        var command = new Command("ingest", "raw tables from simulated stores: readings, the device's events/alerts/forecasts (its own pipeline), POS sales")
        {
            traces, from, to,
        };
        command.SetAction(parse =>
        {
            using var store = LocalLakeStore.Open(parse.GetValue(lake)!);
            var start = parse.GetValue(from) is { } f ? Instant(f) : DateTimeOffset.MinValue;
            var end = parse.GetValue(to) is { } t ? Instant(t) : DateTimeOffset.MaxValue;
            var seenStores = new HashSet<string>(StringComparer.Ordinal);
            foreach (var device in DeviceTrace.Find(parse.GetValue(traces)!))
            {
                var c = TraceIngest.Ingest(store, device, profiles: null, start, end, seenStores.Add(device.Store));
                parse.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ingest: {device.Thing}: {c.Readings:N0} readings, {c.Events:N0} events and alerts, {c.Forecasts:N0} forecast rows, {c.Sales:N0} sales"));
            }

            return 0;
        });
        return command;
    }

    private static Command Curate(Option<string> lake)
    {
        var fromDay = new Option<string>("--from-day") { Description = "first arrival day to merge (yyyy-MM-dd)", DefaultValueFactory = _ => "0000-01-01" };
        var command = new Command("curate", "raw → curated with the cloud's MERGE statements (reruns never duplicate)") { fromDay };
        command.SetAction(parse =>
        {
            using var store = LocalLakeStore.Open(parse.GetValue(lake)!);
            Curation.Run(store, parse.GetValue(fromDay)!);
            foreach (var table in CuratedTables)
            {
                parse.InvocationConfiguration.Output.WriteLine($"curate: {table}: {store.Query($"SELECT count(*) FROM {table}").Rows[0][0]:N0} rows");
            }

            return 0;
        });
        return command;
    }

    private static Command Query(Option<string> lake)
    {
        var sql = new Argument<string>("name-or-sql") { Description = "a named query of the cloud (restock-list, prediction-health, …) or SQL" };
        var now = new Option<string?>("--now") { Description = "bind current_date/current_timestamp to this instant (simulated data lies in the past)" };
        var command = new Command("query", "run a cloud named query or SQL on the lake; tab-separated rows with a header") { sql, now };
        command.SetAction(parse =>
        {
            using var store = LocalLakeStore.Open(parse.GetValue(lake)!);
            var result = store.Query(NamedQueries.Resolve(parse.GetValue(sql)!, parse.GetValue(now) is { } n ? Instant(n) : null));
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine(string.Join('\t', result.Columns));
            foreach (var row in result.Rows)
            {
                output.WriteLine(string.Join('\t', row.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))));
            }

            return 0;
        });
        return command;
    }
}

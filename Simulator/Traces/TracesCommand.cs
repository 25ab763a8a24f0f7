using System.CommandLine;

namespace ShelfAgent.Simulator.Traces;

/// <summary><c>shelf-sim traces --stores N --days D --out DIR</c>.</summary>
public static class TracesCommand
{
    public static Command Create()
    {
        var d = new TraceOptions();
        var stores = new Option<int>("--stores")
        {
            Description = "Stores (one shelf device each; archetypes rotate convenience, supermarket aisle, kiosk)",
            DefaultValueFactory = _ => d.Stores,
        };
        var days = new Option<double>("--days") { Description = "Days of shop time", DefaultValueFactory = _ => d.Days };
        var output = new Option<string>("--out")
        {
            Description = "Directory for {thing}.readings.jsonl, {thing}.truth.jsonl and {thing}.agent.json",
            Required = true,
        };
        var slots = new Option<int>("--slots") { Description = "Slots per device", DefaultValueFactory = _ => d.SlotsPerDevice };
        var sampling = new Option<int>("--sampling-seconds") { Description = "Seconds between readings", DefaultValueFactory = _ => d.SamplingSeconds };
        var start = new Option<string>("--start")
        {
            Description = "First instant (UTC, ISO-8601)",
            DefaultValueFactory = _ => d.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Random seed (the same seed and store number give the same store)",
            DefaultValueFactory = _ => d.Seed,
        };
        var command = new Command("traces", "Write readings (buffer export format) and ground truth for simulated stores, fast and without a broker")
        {
            stores, days, output, slots, sampling, start, seed,
        };
        command.SetAction(async (parse, ct) =>
        {
            if (!DateTimeOffset.TryParse(
                parse.GetValue(start), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var from))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"shelf-sim traces: --start '{parse.GetValue(start)}' is not a date")
                    .ConfigureAwait(false);
                return 64;
            }

            if (parse.GetValue(stores) < 1 || parse.GetValue(days) <= 0 || parse.GetValue(slots) < 1 || parse.GetValue(sampling) < 1)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("shelf-sim traces: --stores, --days, --slots and --sampling-seconds must be positive")
                    .ConfigureAwait(false);
                return 64;
            }

            var options = new TraceOptions
            {
                Stores = parse.GetValue(stores),
                Days = parse.GetValue(days),
                SlotsPerDevice = parse.GetValue(slots),
                SamplingSeconds = parse.GetValue(sampling),
                Start = from.ToUniversalTime(),
                Seed = parse.GetValue(seed),
            };
            return await TraceWriter.RunAsync(options, parse.GetValue(output)!, parse.InvocationConfiguration.Output, ct).ConfigureAwait(false);
        });
        return command;
    }
}

using Spectre.Console;

namespace ShelfAgent.Simulator.Scale;

/// <summary>The live terminal dashboard (Spectre.Console), redrawn every second from the sampler's last point.</summary>
public static class FleetDashboard
{
    public static async Task RunAsync(FleetMetrics metrics, FleetSampler sampler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(sampler);
        var table = Build(metrics, sampler.Last);
        try
        {
            await AnsiConsole.Live(table).AutoClear(false).StartAsync(async context =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
                while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                {
                    context.UpdateTarget(Build(metrics, sampler.Last));
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private static Table Build(FleetMetrics metrics, TimelinePoint? p)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]shelf-sim[/]").AddColumn("").AddColumn(new TableColumn("").RightAligned());
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("devices", metrics.Devices.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Row("connected / connecting / backing off", p is null ? "–" : $"{p.Connected:N0} / {p.Connecting:N0} / {p.BackingOff:N0}");
        Row("connect attempts (per second)", p is null ? "–" : $"{p.ConnectAttempts:N0} ({p.ConnectsPerSecond:N0}/s)");
        Row("readings/s, messages/s", p is null ? "–" : $"{p.ReadingsPerSecond:N0}, {p.MessagesPerSecond:N0}");
        Row("PUBACK p50 / p95 / p99", p is null ? "–" : $"{FleetProgress.Ms(p.P50Ms)} / {FleetProgress.Ms(p.P95Ms)} / {FleetProgress.Ms(p.P99Ms)}");
        Row("readings buffered", p is null ? "–" : $"{p.ReadingsBuffered:N0}");
        var errors = metrics.Errors;
        Row("errors", errors.Count == 0 ? "none" : string.Join(", ", errors.Select(e => $"{e.Key} {e.Value:N0}")));
        Row("elapsed", p is null ? "–" : $"{p.Seconds:0} s");
        return table;
    }
}

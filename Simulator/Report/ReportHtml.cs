using System.Globalization;
using System.Net;
using System.Text;
using ShelfAgent.Simulator.Scale;

namespace ShelfAgent.Simulator.Report;

/// <summary>
/// report.html: one self-contained file (inline SVG charts drawn by ScottPlot, no script, no external resource) with the
/// run's figures, throughput, PUBACK latency percentiles, connections and the backlog over time, and each rehearsal's
/// completion curve.
/// </summary>
public static class ReportHtml
{
    public static string Render(FleetReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var t = report.Timeline;
        var x = t.Select(p => p.Seconds).ToArray();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>shelf-sim report</title><style>")
            .Append("body{font-family:sans-serif;margin:24px;color:#222;background:#fff}table{border-collapse:collapse}")
            .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}td.n{text-align:right}")
            .Append(".charts{display:grid;grid-template-columns:repeat(2,620px);gap:12px}h1{font-size:22px}h2{font-size:17px}</style></head><body>")
            .Append(CultureInfo.InvariantCulture, $"<h1>shelf-sim: {report.Devices:N0} devices × {report.SlotsPerDevice} slots, {report.Seconds:N0} s</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>{Encode(report.Command)}</p><table>");
        void Row(string name, string value) =>
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{Encode(name)}</th><td class=\"n\">{Encode(value)}</td></tr>");
        Row("started", report.StartedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Row("broker", report.Broker);
        Row("shard", report.Shard);
        Row("connect rate", report.ConnectRate > 0 ? $"{report.ConnectRate:N0}/s" : "unlimited");
        Row("outbox", report.Outbox);
        Row("fleet connected after", report.SecondsToConnectFleet is { } s ? $"{s:N1} s" : "not reached");
        Row("readings committed / delivered", $"{report.ReadingsCommitted:N0} / {report.ReadingsDelivered:N0}");
        Row("messages (PUBACK)", $"{report.Messages:N0} ({report.Messages / Math.Max(1, report.Seconds):N0}/s)");
        Row("PUBACK p50 / p95 / p99", $"{FleetProgress.Ms(report.P50Ms)} / {FleetProgress.Ms(report.P95Ms)} / {FleetProgress.Ms(report.P99Ms)}");
        Row(
            "connect attempts / connects",
            $"{report.ConnectAttempts:N0} / {report.Connects:N0} (at most {report.PeakConnectAttemptsInOneSecond:N0} in one second)");
        Row("errors", report.Errors.Count == 0 ? "none" : string.Join(", ", report.Errors.Select(e => $"{e.Key} {e.Value:N0}")));
        Row("simulated sensor faults", $"{report.SensorFaults:N0}");
        Row("peak memory", $"{report.Process.PeakRssMb:N0} MB ({report.Process.MemoryPerDeviceKb:N0} KB per device)");
        if (report.Process.Memory is { } m)
        {
            Row(
                "memory per device",
                $"{m.PerDeviceKbBuilt["rss"]:N0} KB built (GC heap {m.PerDeviceKbBuilt["gc_heap"]:N0}, native {m.PerDeviceKbBuilt["native"]:N0}) + " +
                $"{m.PerDeviceKbRunning["rss"]:N0} KB connected and running (GC heap {m.PerDeviceKbRunning["gc_heap"]:N0}, " +
                $"native {m.PerDeviceKbRunning["native"]:N0}); {m.BeforeDevices.RssMb:N0} MB before the devices");
        }

        Row("CPU", $"{report.Process.CpuSeconds:N1} s ({report.Process.CpuSecondsPer1000Messages:0.000} s per 1,000 messages)");
        Row("open files limit", $"{report.Process.OpenFilesLimit:N0}");
        html.Append("</table><h2>Over time</h2><div class=\"charts\">");
        html.Append(Chart(
            "Throughput",
            "per second",
            x,
            ("readings/s", t.Select(p => (double?)p.ReadingsPerSecond)),
            ("messages/s", t.Select(p => (double?)p.MessagesPerSecond))));
        html.Append(Chart("PUBACK latency", "ms", x, ("p50", t.Select(p => p.P50Ms)), ("p95", t.Select(p => p.P95Ms)), ("p99", t.Select(p => p.P99Ms))));
        html.Append(Chart(
            "Connections",
            "devices",
            x,
            ("connected", t.Select(p => (double?)p.Connected)),
            ("connecting", t.Select(p => (double?)p.Connecting)),
            ("backing off", t.Select(p => (double?)p.BackingOff)),
            ("connect attempts/s", t.Select(p => (double?)p.ConnectsPerSecond))));
        html.Append(Chart("Backlog (readings buffered)", "readings", x, ("buffered", t.Select(p => (double?)p.ReadingsBuffered))));
        html.Append("</div>");
        if (report.Rehearsals.Count > 0)
        {
            html.Append("<h2>Rehearsals</h2><div class=\"charts\">");
            foreach (var r in report.Rehearsals)
            {
                html.Append(Chart(
                    r.Name == "reconnect-storm" ? "Reconnect storm: devices connected" : $"{r.Name}: things done",
                    "% of things",
                    [.. r.Curve.Select(p => p.Seconds)],
                    (r.Name, r.Curve.Select(p => (double?)p.Percent))));
            }

            html.Append("</div><ul>");
            foreach (var r in report.Rehearsals)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{Encode(r.Summary)}</li>");
            }

            html.Append("</ul>");
        }

        return html.Append("</body></html>\n").ToString();
    }

    private static string Chart(string title, string unit, double[] x, params (string Name, IEnumerable<double?> Values)[] series)
    {
        var plot = new ScottPlot.Plot();
        foreach (var (name, values) in series)
        {
            var points = x.Zip(values).Where(p => p.Second is not null).ToArray();
            if (points.Length == 0)
            {
                continue;
            }

            var line = plot.Add.Scatter(points.Select(p => p.First).ToArray(), points.Select(p => p.Second!.Value).ToArray());
            line.LegendText = name;
            line.MarkerSize = points.Length > 60 ? 0 : 4;
        }

        plot.Title(title);
        plot.XLabel("seconds");
        plot.YLabel(unit);
        plot.ShowLegend();
        return $"<figure>{plot.GetSvgXml(620, 360)}</figure>";
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

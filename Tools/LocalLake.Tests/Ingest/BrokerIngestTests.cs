using System.Globalization;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Lake;

namespace ShelfAgent.LocalLake.Tests.Ingest;

/// <summary>listen: what devices publish on a real mosquitto over mutual TLS lands in the raw tables, then curates.</summary>
public sealed class BrokerIngestTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Published_telemetry_events_and_forecasts_land_in_the_raw_tables_by_arrival_day_and_curate()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: cancel.Token);
        var (deviceCert, deviceKey) = broker.IssueDevice("t-1");
        var (lakeCert, lakeKey) = broker.IssueDevice("local-lake");
        await using var device = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, broker.CaFile, deviceCert, deviceKey, "t-1", cancel.Token);
        await using var listener = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, broker.CaFile, lakeCert, lakeKey, "local-lake", cancel.Token);
        foreach (var filter in BrokerIngest.Filters)
        {
            await listener.SubscribeAsync(filter, cancel.Token);
        }

        // A folder, not a TestLake: the writer opens it in memory, the check afterwards opens lake.duckdb once.
        var folder = Directory.CreateTempSubdirectory("local-lake-listen-").FullName;
        var reports = new List<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
        BrokerIngest.Totals totals;
        using (var writer = LocalLakeStore.OpenForAppend(folder))
        {
            var run = BrokerIngest.RunAsync(new RawRowBuffer(writer), listener.Received, () => listener.IsConnected, TimeProvider.System,
                TimeSpan.FromMilliseconds(200), line => { lock (reports) { reports.Add(line); } }, stop.Token);
            string[] messages =
            [
                """{"schema":"shelf.telemetry.v1","thing":"t-1","store":"s-1","sent":"2026-10-05T10:00:30Z","dropped":{"A1":2},"readings":[""" +
                """{"seq":1,"ts":"2026-10-05T10:00:00Z","slot":"A1","sku":"X","grams":500,"count":4,"status":"ok"},""" +
                """{"seq":2,"ts":"2026-10-05T10:00:10Z","slot":"A1","sku":"X","grams":375,"count":3,"status":"ok"}]}""",
                """{"schema":"shelf.event.v1","thing":"t-1","store":"s-1","ts":"2026-10-05T10:00:10Z","slot":"A1","sku":"X","type":"pick",""" +
                """ "delta":-1,"count":3}""",
                """{"schema":"shelf.alert.v1","thing":"t-1","store":"s-1","ts":"2026-10-05T10:00:20Z","slot":"A1","sku":"X","type":"predicted-empty",""" +
                """ "expectedEmpty":"2026-10-05T11:00:00Z","probability":0.8,"horizonMinutes":60}""",
                """{"schema":"shelf.forecast.v1","thing":"t-1","store":"s-1","ts":"2026-10-05T10:00:30Z","horizonMinutes":60,"slots":[""" +
                """{"slot":"A1","sku":"X","count":3,"ratePerHour":2.5,"probEmpty":0.8,"profile":"cloud:r-1"},""" +
                """{"slot":"A2","sku":"Y","count":9,"ratePerHour":0.5,"probEmpty":0.01,"profile":"device"}]}""",
                // The payload names another store than the topic: kept out, as the transforms keep it out.
                """{"schema":"shelf.event.v1","thing":"t-1","store":"s-9","ts":"2026-10-05T10:00:40Z","slot":"A1","type":"pick"}""",
            ];
            string[] kinds = ["telemetry", "events", "alerts", "forecast", "events"];
            for (var i = 0; i < messages.Length; i++)
            {
                await device.PublishAsync($"dt/shelf/s-1/t-1/{kinds[i]}", messages[i], cancel.Token);
            }

            // Every message has reached the listener's client before the stop, which then writes what it holds.
            await listener.UntilSeenAsync(messages.Length, cancel.Token).WaitAsync(Bound, cancel.Token);
            Assert.Equal(messages.Length, listener.Seen().Count);
            await stop.CancelAsync();
            totals = await run;
        }

        Assert.Equal(5, totals.Messages);
        Assert.Equal(1, totals.Refused);
        Assert.Equal(2, totals.Rows["readings"]);
        Assert.Equal(2, totals.Rows["events"]);
        Assert.Equal(2, totals.Rows["forecasts"]);
        Assert.Contains(reports, r => r.Contains("topic and payload disagree", StringComparison.Ordinal));
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.True(Directory.Exists(Path.Combine(folder, "raw", "forecasts", "dt=" + today)), "partitioned by arrival day");

        using var lake = LocalLakeStore.Open(folder);
        Assert.Equal(2L, Number(lake, "SELECT count(*) FROM raw_readings WHERE thing = 't-1' AND store = 's-1'"));
        Assert.Equal(2L, Number(lake, "SELECT sum(map_extract(dropped, 'A1')[1]) FROM raw_readings"));
        Curation.Run(lake, today);
        Assert.Equal(2L, Number(lake, "SELECT count(*) FROM curated_readings"));
        Assert.Equal(2L, Number(lake, "SELECT count(*) FROM curated_events"));
        Assert.Equal(1L, Number(lake, "SELECT count(*) FROM curated_forecasts WHERE profile = 'cloud:r-1'"));
        lake.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private static long Number(LocalLakeStore lake, string sql) => (long)QueryResult.Number(lake.Query(sql).Rows[0][0]);
}

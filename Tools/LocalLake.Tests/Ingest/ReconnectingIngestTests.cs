using ShelfAgent.LocalIot;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalLake.Cli;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.Simulator.Scale;
using ShelfAgent.Transport;

namespace ShelfAgent.LocalLake.Tests.Ingest;

/// <summary>
/// listen over a connection that comes and goes, on a real mosquitto over mutual TLS: it reconnects after a broker restart,
/// and with its persistent session what a device publishes at QoS 1 while listen is cut off arrives after the reconnect.
/// </summary>
public sealed class ReconnectingIngestTests
{
    // A bound for a loaded machine, not a speed check: every wait ends as soon as its signal comes.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    // Shorter than listen's 1 s → 30 s so the test does not sit out a long wait; the ceilings themselves are the agent's Backoff.
    private static readonly Backoff Quick = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));

    [Fact]
    public void Listen_waits_1_s_doubling_to_30_s_between_reconnect_attempts()
    {
        Assert.Equal([1d, 2, 4, 8, 16, 30, 30], Enumerable.Range(0, 7).Select(a => ListenCommand.Reconnect.Ceiling(a).TotalSeconds));
    }

    [Fact]
    public async Task Listen_reconnects_after_the_broker_restarts_and_rows_published_after_the_restart_reach_the_lake()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: cancel.Token);
        var (deviceCert, deviceKey) = broker.IssueDevice("t-1");
        var (lakeCert, lakeKey) = broker.IssueDevice("local-lake");
        var connect = ListenCommand.Connector(broker.Host, broker.Port, broker.CaFile, lakeCert, lakeKey, "local-lake", TimeSpan.FromHours(1));
        await using var listen = await Listening.StartAsync(connect, cancel.Token);

        await using (var device = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, broker.CaFile, deviceCert, deviceKey, "t-1", cancel.Token))
        {
            await device.PublishAsync("dt/shelf/s-1/t-1/events", Event(1), cancel.Token);
            await listen.Lines.UntilAsync(_ => listen.Lines.EventRowsWritten >= 1, Bound, "the event before the restart written", cancel.Token);
            await broker.StopAsync(cancel.Token);
        }

        await listen.Lines.UntilAsync(l => l.StartsWith("listen: lost the connection", StringComparison.Ordinal), Bound, "the loss noticed", cancel.Token);
        await broker.StartAgainAsync(cancel.Token);
        await listen.Lines.UntilAsync(l => l.StartsWith("listen: reconnected", StringComparison.Ordinal), Bound, "listen reconnected", cancel.Token);
        await using (var device = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, broker.CaFile, deviceCert, deviceKey, "t-1", cancel.Token))
        {
            await device.PublishAsync("dt/shelf/s-1/t-1/events", Event(2), cancel.Token);
            await device.PublishAsync("dt/shelf/s-1/t-1/events", Event(3), cancel.Token);
            await listen.Lines.UntilAsync(_ => listen.Lines.EventRowsWritten >= 3, Bound, "the events after the restart written", cancel.Token);
        }

        var outcome = await listen.StopAsync();
        Assert.Null(outcome.Refused);
        Assert.True(outcome.Reconnects >= 1, listen.Lines.Text);
        Assert.Equal([1, 2, 3], listen.EventMinutes().Distinct()); // at least once: a redelivery may repeat one
    }

    [Fact]
    public async Task Listen_gets_what_a_device_published_at_QoS_1_while_its_connection_was_cut_once_it_reconnects()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: cancel.Token);
        var (deviceCert, deviceKey) = broker.IssueDevice("t-1");
        var (lakeCert, lakeKey) = broker.IssueDevice("local-lake");
        // listen reaches the broker through a relay that can cut its connection (and refuse new ones) while the broker stays up.
        await using var relay = DropoutRelay.Start(broker.Host, broker.Port);
        var connect = ListenCommand.Connector(broker.Host, relay.Port, broker.CaFile, lakeCert, lakeKey, "local-lake", TimeSpan.FromHours(1));
        await using var listen = await Listening.StartAsync(connect, cancel.Token);
        await using var device = await MqttTestClient.ConnectAsync(broker.Host, broker.Port, broker.CaFile, deviceCert, deviceKey, "t-1", cancel.Token);
        await device.PublishAsync("dt/shelf/s-1/t-1/events", Event(1), cancel.Token);
        await listen.Lines.UntilAsync(_ => listen.Lines.EventRowsWritten >= 1, Bound, "the event before the cut written", cancel.Token);

        using var outage = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
        var down = relay.DropAsync(Bound, outage.Token);
        await listen.Lines.UntilAsync(l => l.StartsWith("listen: lost the connection", StringComparison.Ordinal), Bound, "the cut noticed", cancel.Token);
        // The broker has seen listen go, so these wait in its session rather than in flight on the dead connection.
        // (mosquitto 2.0.11 logs a reset as "Client local-lake disconnected: Protocol error.", an orderly close otherwise.)
        string[] gone = ["Client local-lake disconnected", "Client local-lake closed its connection", "client local-lake, disconnecting"];
        await broker.UntilLoggedAsync(log => gone.Any(log.Contains), Bound, cancel.Token);
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, await device.PublishAsync("dt/shelf/s-1/t-1/events", Event(2), cancel.Token));
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, await device.PublishAsync("dt/shelf/s-1/t-1/events", Event(3), cancel.Token));
        await outage.CancelAsync();
        await down.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

        await listen.Lines.UntilAsync(l => l.Contains("the broker kept the session", StringComparison.Ordinal), Bound, "listen resumed its session",
            cancel.Token);
        await listen.Lines.UntilAsync(_ => listen.Lines.EventRowsWritten >= 3, Bound, "the events published during the cut written", cancel.Token);
        var outcome = await listen.StopAsync();
        Assert.True(outcome.Reconnects >= 1, listen.Lines.Text);
        Assert.Equal([1, 2, 3], listen.EventMinutes().Distinct()); // at least once: a redelivery may repeat one
    }

    /// <summary>A pick event at 10:0<paramref name="minute"/>, so the lake's rows say which message each came from.</summary>
    private static string Event(int minute) =>
        $$"""{"schema":"shelf.event.v1","thing":"t-1","store":"s-1","ts":"2026-10-05T10:{{minute:00}}:00Z","slot":"A1","sku":"X","type":"pick",""" +
        """ "delta":-1,"count":3}""";

    /// <summary>A <see cref="ReconnectingIngest"/> running on a lake folder of its own, as listen runs it.</summary>
    private sealed class Listening : IAsyncDisposable
    {
        private readonly string _folder;
        private readonly LocalLakeStore _writer;
        private readonly CancellationTokenSource _stop;
        private readonly Task<ReconnectingIngest.Outcome> _run;

        private Listening(string folder, LocalLakeStore writer, CancellationTokenSource stop, ReportLines lines, Task<ReconnectingIngest.Outcome> run)
        {
            _folder = folder;
            _writer = writer;
            _stop = stop;
            Lines = lines;
            _run = run;
        }

        public ReportLines Lines { get; }

        public static async Task<Listening> StartAsync(Func<CancellationToken, Task<MqttTestClient>> connect, CancellationToken cancellationToken)
        {
            var folder = Directory.CreateTempSubdirectory("local-lake-reconnect-").FullName;
            var writer = LocalLakeStore.OpenForAppend(folder);
            var lines = new ReportLines();
            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var first = await connect(cancellationToken);
            var ingest = new ReconnectingIngest(connect, "the broker", Quick, TimeProvider.System, TimeSpan.FromMilliseconds(200), lines.Add);
            return new Listening(folder, writer, stop, lines, ingest.RunAsync(first, new RawRowBuffer(writer), stop.Token));
        }

        public async Task<ReconnectingIngest.Outcome> StopAsync()
        {
            await _stop.CancelAsync();
            return await _run;
        }

        /// <summary>The minute of each event row in the lake, in order (read once listen has stopped).</summary>
        public IReadOnlyList<int> EventMinutes()
        {
            _writer.Dispose();
            using var lake = LocalLakeStore.Open(_folder);
            return [.. lake.Query("SELECT minute(ts) FROM raw_events ORDER BY ts").Rows.Select(r => (int)QueryResult.Number(r[0]))];
        }

        public async ValueTask DisposeAsync()
        {
            if (!_run.IsCompleted)
            {
                await _stop.CancelAsync();
                await _run.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }

            _stop.Dispose();
            _writer.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}

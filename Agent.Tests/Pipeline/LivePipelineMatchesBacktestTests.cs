using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Backtest;
using ShelfAgent.Cli;
using ShelfAgent.Composition;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Pipeline;
using ShelfAgent.Sensors;
using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Pipeline;

/// <summary>
/// Runs the agent's sampling path (simulated load cells → SlotSampler → SamplingService → SQLite outbox) on a stepped
/// clock, exports the committed readings as <c>buffer export</c> does, replays them with the backtest, and compares
/// what the backtest would send with what the live agent committed to the outbox's first lane.
/// </summary>
public sealed class LivePipelineMatchesBacktestTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 11, 50, 0, TimeSpan.Zero);

    [Fact]
    public async Task Backtest_output_equals_what_the_live_pipeline_committed()
    {
        using var dir = new TempDirectory();
        var options = new AgentOptions
        {
            Device = new DeviceOptions { ThingName = "shelf-0042-01", StoreId = "store-0042" },
            Buffer = new OutboxOptions { Path = dir.File("outbox.db"), CommitWindowMs = 0, Synchronous = OutboxSynchronous.Normal },
            Stock = new StockOptions { DemandPath = dir.File("demand.json"), ForecastIntervalMinutes = 5 },
            Slots = Enumerable.Range(1, 3).Select(i => new SlotOptions
            {
                Id = $"A{i}",
                Sku = $"SKU-{i}",
                UnitGrams = 350,
                TareGrams = 150,
                Capacity = 12,
                LowStockAt = 3,
                Sensor = new SensorOptions { Type = SensorType.Simulated, PicksPerHour = 60 * i, RestockAt = 1, NoiseGrams = 2, Seed = 7 * i },
            }).ToList(),
        };
        var clock = new FakeTimeProvider(Start);
        var loggers = NullLoggerFactory.Instance;
        var samplers = options.Slots.Select(s => new SlotSampler(s, SlotSensors.CreateResilient(s, new CalibrationFile(), clock, loggers), clock)).ToList();
        var envelope = new TelemetryEnvelope(options.Device.ThingName, options.Device.StoreId);
        var (pipeline, demand) = await StockPipelineFactory.CreateAsync(options, NullLogger.Instance, CancellationToken.None);
        List<string> live;
        await using (var outbox = await SqliteOutbox.OpenAsync(options.Buffer, TimeProvider.System, NullLogger<SqliteOutbox>.Instance, CancellationToken.None))
        {
            var sampling = new SamplingService(
                samplers, outbox, TimeSpan.FromSeconds(5), envelope, clock, NullLogger<SamplingService>.Instance, pipeline, demand);
            await sampling.StartAsync(CancellationToken.None);
            const int ticks = 1500; // about two shop hours at one tick every 5 s
            // The sampling timer exists once the first round is committed (it is created before that round).
            await WaitForAsync(() => sampling.Committed >= samplers.Count);
            for (var i = 1; i < ticks; i++)
            {
                clock.Advance(TimeSpan.FromSeconds(5));
                var expected = (i + 1) * samplers.Count;
                await WaitForAsync(() => sampling.Committed >= expected);
            }

            await sampling.StopAsync(CancellationToken.None);
            live = [];
            await foreach (var e in SqliteOutbox.ExportEventsAsync(options.Buffer.Path, DateTimeOffset.MinValue, CancellationToken.None))
            {
                live.Add(System.Text.Encoding.UTF8.GetString(StockMessagePayload.Encode(envelope, e.Event)));
            }

            var lines = new List<ReadingLine>();
            var n = 0;
            await foreach (var r in SqliteOutbox.ExportAsync(options.Buffer.Path, DateTimeOffset.MinValue, CancellationToken.None))
            {
                var buffer = new ArrayBufferWriter<byte>();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    BufferExportFormat.WriteReading(w, r);
                }

                Assert.Equal(ReadingLineParser.Outcome.Reading, ReadingLineParser.Parse(Encoding.UTF8.GetString(buffer.WrittenSpan), ++n, out var line, out _));
                lines.Add(line!);
            }

            Assert.Equal(ticks * samplers.Count, lines.Count);
            var replayed = new List<string>();
            BacktestRunner.Run(lines, options, null, (env, m) => replayed.Add(System.Text.Encoding.UTF8.GetString(StockMessagePayload.Encode(env, m))));

            Assert.Equal(live, replayed);
        }

        // Enough happened for the comparison to mean something.
        Assert.Contains(live, p => p.Contains("\"type\":\"pick\"", StringComparison.Ordinal));
        Assert.Contains(live, p => p.Contains("\"type\":\"restock\"", StringComparison.Ordinal));
        Assert.Contains(live, p => p.Contains("shelf.forecast.v1", StringComparison.Ordinal));
        Assert.Contains(live, p => p.Contains("\"type\":\"predicted-empty\"", StringComparison.Ordinal));
        Assert.True(File.Exists(options.Stock.DemandPath), "the learned demand is saved at stop");
    }

    private static Task WaitForAsync(Func<bool> condition) =>
        Eventually.UntilAsync(condition, TimeSpan.FromSeconds(30), "the sampling service took the tick", every: TimeSpan.FromMilliseconds(1));
}

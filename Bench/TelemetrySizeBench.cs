using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Bench;

/// <summary>
/// Bytes per reading on the wire for v1 and v2 batches of a day-old backlog (24 slots, 1 s sampling),
/// at a given payload budget, plus encode throughput. Deterministic sizes; times are indicative.
/// </summary>
internal static class TelemetrySizeBench
{
    public static Command Create()
    {
        var budget = BenchOption.Of("--max-payload", 64 * 1024, "Payload budget per message in bytes (Publish:MaxPayloadBytes)");
        var slots = BenchOption.Of("--slots", 24, "Slots of the simulated shelf");
        var command = new Command("telemetry-size", "Bytes per reading of v1 and v2 batches of a day-old backlog, and encode throughput") { budget, slots };
        command.SetAction((parse, _) => RunAsync(parse.GetValue(budget), parse.GetValue(slots)));
        return command;
    }

    private static Task<int> RunAsync(int budget, int slots)
    {
        var readings = Backlog(100_000, slots);
        var envelope = new TelemetryEnvelope("shelf-0042-01", "store-0042");
        var sent = DateTimeOffset.UtcNow;
        foreach (var (name, encode) in new (string, Func<IBufferWriter<byte>, IReadOnlyList<StoredReading>, int>)[]
        {
            ("v1", (o, r) => TelemetryV1Encoder.Encode(o, envelope, sent, r, null, budget)),
            ("v2", (o, r) => TelemetryV2Encoder.Encode(o, envelope, sent, r, null, budget)),
        })
        {
            long bytes = 0, count = 0, batches = 0;
            var buffer = new ArrayBufferWriter<byte>(budget);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < readings.Count;)
            {
                buffer.ResetWrittenCount();
                var slice = readings.GetRange(i, Math.Min(5_000, readings.Count - i));
                var taken = encode(buffer, slice);
                bytes += buffer.WrittenCount;
                count += taken;
                batches++;
                i += taken;
            }

            clock.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"telemetry-size {name} max-payload={budget} slots={slots}: {count:N0} readings in {batches:N0} messages, " +
                $"{(double)bytes / count:0.0} B/reading, {count / (double)batches:0} readings/message, " +
                $"encode {count / clock.Elapsed.TotalSeconds:N0} readings/s"));
        }

        return Task.FromResult(0);
    }

    private static List<StoredReading> Backlog(int count, int slots)
    {
        var random = new Random(42);
        var start = DateTimeOffset.UtcNow.AddDays(-1);
        var items = Enumerable.Range(0, slots).Select(_ => random.Next(0, 13)).ToArray();
        return Enumerable.Range(0, count).Select(i =>
        {
            var slot = i % slots;
            if (random.Next(200) == 0 && items[slot] > 0)
            {
                items[slot]--;
            }

            var n = items[slot];
            var status = n == 0 ? StockStatus.Empty : n <= 2 ? StockStatus.Low : StockStatus.Ok;
            var grams = Math.Round(n * 355.0 + 12.5 + random.NextDouble() * 4 - 2, 1);
            return new StoredReading(
                1_000_000 + i,
                new Reading(start.AddSeconds(i / slots), $"{(char)('A' + slot / 8)}{slot % 8 + 1}", $"SKU-{slot:000}", grams, n, status));
        }).ToList();
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ShelfAgent.Cli;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;

namespace ShelfAgent.Simulator.Traces;

/// <summary>
/// <c>shelf-sim traces</c>: writes, per simulated device, without a broker and as fast as the CPU allows,
/// <c>{thing}.readings.jsonl</c> (exactly the lines of <c>shelf-agent buffer export --format jsonl</c>),
/// <c>{thing}.truth.jsonl</c> (true counts, every stock-out's start and end, every restock) and
/// <c>{thing}.agent.json</c> (its slots, for <c>shelf-agent backtest --config</c>) and <c>{store}.sales.jsonl</c>
/// (the till, <see cref="SalesLedger"/>) (docs/simulator.md).
/// </summary>
public static class TraceWriter
{
    public static async Task<int> RunAsync(TraceOptions options, string directory, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        Directory.CreateDirectory(directory);
        var clock = Stopwatch.StartNew();
        long readings = 0, stockouts = 0, restocks = 0;
        for (var s = 1; s <= options.Stores; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var store = new StoreSimulation(options, s);
            await File.WriteAllTextAsync(Path.Combine(directory, store.ThingName + ".agent.json"), AgentJson(store), cancellationToken).ConfigureAwait(false);
            await using var readingFile = new StreamWriter(
                Path.Combine(directory, store.ThingName + ".readings.jsonl"), false, new UTF8Encoding(false), 1 << 16);
            await using var truthFile = new StreamWriter(
                Path.Combine(directory, store.ThingName + ".truth.jsonl"), false, new UTF8Encoding(false), 1 << 16);
            var buffer = new ArrayBufferWriter<byte>(256);
            using var writer = new Utf8JsonWriter(buffer);
            long seq = 0;
            var openStockout = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var sales = new SalesLedger(store.StoreId, s, options.Seed, store.Slots.ToDictionary(x => x.Id, x => x.Sku, StringComparer.Ordinal));
            store.Run(
                r =>
                {
                    BufferExportFormat.WriteReading(writer, new StoredReading(++seq, r));
                    Line(readingFile, writer, buffer);
                    readings++;
                },
                t =>
                {
                    WriteTruth(writer, t, openStockout);
                    sales.Observe(t);
                    Line(truthFile, writer, buffer);
                    stockouts += t.Kind == TruthKind.StockoutStart ? 1 : 0;
                    restocks += t.Kind == TruthKind.Restock ? 1 : 0;
                });
            await using (var salesFile = new StreamWriter(Path.Combine(directory, store.StoreId + ".sales.jsonl"), false, new UTF8Encoding(false), 1 << 16))
            {
                sales.WriteTo(salesFile);
            }

            await output.WriteLineAsync(
                $"shelf-sim traces: {store.ThingName} ({store.Archetype}, UTC{(store.UtcOffset >= TimeSpan.Zero ? "+" : "-")}{store.UtcOffset:hh\\:mm}) " +
                $"{seq:N0} readings").ConfigureAwait(false);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"shelf-sim traces: {options.Stores} stores × {options.Days:0.#} days: " +
            $"{readings:N0} readings, {stockouts:N0} stock-outs, {restocks:N0} restocks in {clock.Elapsed.TotalSeconds:0.0} s → {Path.GetFullPath(directory)}"))
            .ConfigureAwait(false);
        return 0;
    }

    private static void Line(StreamWriter file, Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer)
    {
        writer.Flush();
        file.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
    }

    // {"type":"count","ts","slot","count"} | {"type":"stockout-start","ts","slot"} | {"type":"stockout-end","ts","slot","start"}
    // | {"type":"restock","ts","slot","from","to","schedule":"on-time|late|reactive","partial"?}
    // | {"type":"counterfactual-empty","ts","slot","restock"} | {"type":"fault","ts","slot","minutes"}
    // | {"type":"store","ts","store","archetype","utcOffset"} | {"type":"day","ts","date","open"?,"close"?,"holiday","promotions"}
    // | {"type":"round-missed","ts"} (docs/simulator.md). Public so shelf-bench scores exactly what the file would hold.
    public static void WriteTruth(Utf8JsonWriter w, TruthEvent t, Dictionary<string, DateTimeOffset> open)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(t);
        ArgumentNullException.ThrowIfNull(open);
        w.WriteStartObject();
        w.WriteString("type"u8, t.Kind switch
        {
            TruthKind.Count => "count",
            TruthKind.StockoutStart => "stockout-start",
            TruthKind.StockoutEnd => "stockout-end",
            TruthKind.CounterfactualEmpty => "counterfactual-empty",
            TruthKind.Fault => "fault",
            TruthKind.Store => "store",
            TruthKind.Day => "day",
            TruthKind.RoundMissed => "round-missed",
            _ => "restock",
        });
        w.WriteString("ts"u8, WireFormat.Timestamp(t.Timestamp));
        w.WriteString("thing"u8, t.Thing);
        if (t.Slot.Length > 0)
        {
            w.WriteString("slot"u8, t.Slot);
        }

        switch (t.Kind)
        {
            case TruthKind.CounterfactualEmpty:
                w.WriteString("restock"u8, WireFormat.Timestamp(t.Restock ?? t.Timestamp));
                break;
            case TruthKind.Fault:
                w.WriteNumber("minutes"u8, t.Minutes);
                break;
            case TruthKind.Store when t.Store is { } s:
                w.WriteString("store"u8, s.StoreId);
                w.WriteString("archetype"u8, s.Archetype);
                w.WriteString("utcOffset"u8, (s.UtcOffset < TimeSpan.Zero ? "-" : "+") + s.UtcOffset.ToString("hh\\:mm", CultureInfo.InvariantCulture));
                break;
            case TruthKind.Day when t.Day is { } d:
                w.WriteString("date"u8, d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                if (d.Open is { } o && d.Close is { } c)
                {
                    w.WriteString("open"u8, Clock(o));
                    w.WriteString("close"u8, Clock(c));
                }

                w.WriteBoolean("holiday"u8, d.Holiday);
                w.WriteStartArray("promotions"u8);
                foreach (var p in t.Promoted)
                {
                    w.WriteStringValue(p);
                }

                w.WriteEndArray();
                break;
            case TruthKind.Count:
                w.WriteNumber("count"u8, t.Count);
                break;
            case TruthKind.StockoutStart:
                open[t.Slot] = t.Timestamp;
                break;
            case TruthKind.StockoutEnd:
                if (open.Remove(t.Slot, out var start))
                {
                    w.WriteString("start"u8, WireFormat.Timestamp(start));
                    w.WriteNumber("minutes"u8, Math.Round((t.Timestamp - start).TotalMinutes, 1));
                }

                break;
            case TruthKind.Restock:
                w.WriteNumber("from"u8, t.From ?? 0);
                w.WriteNumber("to"u8, t.Count);
                w.WriteString("schedule"u8, t.Note);
                if (t.Partial)
                {
                    w.WriteBoolean("partial"u8, true);
                }

                break;
        }

        w.WriteEndObject();
    }

    private static string Clock(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours:00}:{t.Minutes:00}");

    private static string AgentJson(StoreSimulation store)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("Device");
            w.WriteString("ThingName", store.ThingName);
            w.WriteString("StoreId", store.StoreId);
            w.WriteEndObject();
            w.WriteStartArray("Slots");
            foreach (var s in store.Slots)
            {
                w.WriteStartObject();
                w.WriteString("Id", s.Id);
                w.WriteString("Sku", s.Sku);
                w.WriteNumber("UnitGrams", s.UnitGrams);
                w.WriteNumber("TareGrams", s.TareGrams);
                w.WriteNumber("Capacity", s.Capacity);
                w.WriteNumber("LowStockAt", s.LowStockAt);
                w.WriteStartObject("Sensor");
                w.WriteString("Type", nameof(ShelfAgent.Sensors.SensorType.Simulated));
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }
}

using System.Globalization;
using System.Text;
using ShelfAgent.Backtest;
using ShelfAgent.Cli;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.LocalLake.Ingest;

/// <summary>
/// Fills the local lake's raw tables from simulated stores (<c>shelf-sim traces</c>) as the cloud's pipelines would from
/// the broker: the readings as telemetry rows; the device's events, alerts and forecasts as the agent's own pipeline
/// makes them from those readings (the backtest, with the profiles the device runs); the store's POS sales as DMS
/// rows. A window [from, to) keeps what a device would have sent then; the pipeline still replays the device from its
/// first reading, so what it learned before the window carries over.
/// </summary>
public static class TraceIngest
{
    /// <summary>Rows written per raw table.</summary>
    public sealed record Counts(long Readings, long Events, long Forecasts, long Sales);

    /// <summary>Ingests one device (and, with <paramref name="withSales"/>, its store's sales) for [from, to).</summary>
    public static Counts Ingest(
        LocalLakeStore lake, DeviceTrace device, IReadOnlyList<DemandProfile>? profiles, DateTimeOffset from, DateTimeOffset to, bool withSales)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(device);
        var window = $"ts >= {Ts(from)} AND ts < {Ts(to)}";
        var readings = lake.AppendRaw(LakeTables.Readings, $$"""
            SELECT 'shelf.telemetry.v1' AS schema, {{LocalLakeStore.Literal(device.Thing)}} AS thing, {{LocalLakeStore.Literal(device.Store)}} AS store,
                   ts AS sent, ts AS received, CAST(NULL AS MAP(VARCHAR, INTEGER)) AS dropped, seq, ts, slot, sku, grams, "count", status, reason,
                   false AS timeUntrusted, strftime(ts, '%Y-%m-%d') AS dt
            FROM read_json({{LocalLakeStore.Literal(device.ReadingsPath)}}, format = 'newline_delimited',
                           columns = {'type': 'VARCHAR', 'seq': 'BIGINT', 'ts': 'TIMESTAMP', 'slot': 'VARCHAR', 'sku': 'VARCHAR',
                                      'grams': 'DOUBLE', 'count': 'INTEGER', 'status': 'VARCHAR', 'reason': 'VARCHAR'})
            WHERE type = 'reading' AND {{window}}
            """);

        var (events, forecasts) = Activity(lake, device, profiles, from, to);
        var sales = 0L;
        if (withSales && device.SalesPath is { } salesPath)
        {
            sales = lake.AppendRaw(LakeTables.Sales, $$"""
                SELECT 'I' AS op, sold_at AS cdc_ts, sale_id, store_id, sku, quantity, unit_price, sold_at, strftime(sold_at, '%Y-%m-%d') AS dt
                FROM read_json({{LocalLakeStore.Literal(salesPath)}}, format = 'newline_delimited',
                               columns = {'sale_id': 'BIGINT', 'store_id': 'VARCHAR', 'sku': 'VARCHAR', 'quantity': 'INTEGER',
                                          'unit_price': 'DOUBLE', 'sold_at': 'TIMESTAMP'})
                WHERE sold_at >= {{Ts(from)}} AND sold_at < {{Ts(to)}}
                """);
        }

        return new Counts(readings, events, forecasts, sales);
    }

    /// <summary>The device's readings up to <paramref name="to"/>, parsed for the agent's pipeline.</summary>
    public static List<ReadingLine> Readings(DeviceTrace device, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(device);
        var lines = new List<ReadingLine>();
        var n = 0;
        foreach (var line in File.ReadLines(device.ReadingsPath))
        {
            n++;
            if (ReadingLineParser.Parse(line, n, out var r, out _) == ReadingLineParser.Outcome.Reading && r!.Reading.Timestamp < to)
            {
                lines.Add(r);
            }
        }

        return lines;
    }

    /// <summary>The device's configuration (slots, Stock:*), as <c>backtest --config</c> reads it.</summary>
    public static AgentOptions Options(DeviceTrace device)
    {
        ArgumentNullException.ThrowIfNull(device);
        using var error = new StringWriter();
        return ConfigLoading.TryLoad(device.ConfigPath, error, out _, ConfigUse.Slots)
            ?? throw new InvalidDataException($"{device.ConfigPath}: {error}");
    }

    private static (long Events, long Forecasts) Activity(
        LocalLakeStore lake, DeviceTrace device, IReadOnlyList<DemandProfile>? profiles, DateTimeOffset from, DateTimeOffset to)
    {
        var staging = Path.Combine(lake.Directory, "staging");
        Directory.CreateDirectory(staging);
        var eventsPath = Path.Combine(staging, device.Thing + ".events.jsonl");
        var forecastsPath = Path.Combine(staging, device.Thing + ".forecasts.jsonl");
        using (var eventsFile = new StreamWriter(eventsPath, false, new UTF8Encoding(false)))
        using (var forecastsFile = new StreamWriter(forecastsPath, false, new UTF8Encoding(false)))
        {
            BacktestRunner.Run(Readings(device, to), Options(device), profiles ?? [], (envelope, message) =>
            {
                if (message.Timestamp < from)
                {
                    return;
                }

                foreach (var (table, row) in MessageRows.Of(StockMessagePayload.Encode(envelope, message), message.Timestamp))
                {
                    (table == "events" ? eventsFile : forecastsFile).WriteLine(row);
                }
            });
        }

        try
        {
            return (lake.AppendRawJson(LakeTables.Events, eventsPath, "received"), lake.AppendRawJson(LakeTables.Forecasts, forecastsPath, "received"));
        }
        finally
        {
            File.Delete(eventsPath);
            File.Delete(forecastsPath);
        }
    }

    private static string Ts(DateTimeOffset t) =>
        "TIMESTAMP '" + t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "'";
}

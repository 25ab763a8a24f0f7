namespace ShelfAgent.Cloud.Lake;

/// <summary>A saved Athena query: name, description, SQL.</summary>
public sealed record StarterQuery(string Name, string Description, string Sql);

/// <summary>
/// The named queries a data team starts with (Athena engine v3 / Trino SQL). The reading queries use the
/// curated table (one row per reading, deduplicated, dt = reading day); picks come from raw_events. All bound
/// dt so Athena prunes partitions.
/// "count" is quoted to keep the column apart from the count() function.
/// </summary>
public static class StarterQueries
{
    /// <summary>The queries, in the order the README lists them.</summary>
    public static IReadOnlyList<StarterQuery> All { get; } =
    [
        new(
            "readings-per-store-per-day",
            "Readings, reporting devices and fault readings per store and day (last 30 days)",
            """
            SELECT store, dt,
                   count(*) AS readings,
                   count(DISTINCT thing) AS devices,
                   count_if(status = 'fault') AS fault_readings
            FROM curated_readings
            WHERE dt >= cast(current_date - interval '30' day AS varchar)
            GROUP BY store, dt
            ORDER BY store, dt
            """),
        new(
            "slots-that-hit-zero",
            "Slots whose count reached zero (or reported empty) in the last 7 days",
            """
            SELECT store, thing, slot, sku,
                   min(ts) AS first_empty_at,
                   max(ts) AS last_empty_at,
                   count(*) AS empty_readings
            FROM curated_readings
            WHERE dt >= cast(current_date - interval '7' day AS varchar)
              AND ("count" = 0 OR status = 'empty')
            GROUP BY store, thing, slot, sku
            ORDER BY first_empty_at DESC
            """),
        new(
            "hours-to-empty-by-sku",
            "Sell-through rate over the last 7 days and hours until each slot is empty at that rate (restocks ignored)",
            """
            WITH steps AS (
              SELECT store, thing, slot, sku, ts, "count",
                     lag("count") OVER (PARTITION BY thing, slot ORDER BY ts) AS previous
              FROM curated_readings
              WHERE dt >= cast(current_date - interval '7' day AS varchar)
                AND status <> 'fault' AND "count" IS NOT NULL
            ),
            rates AS (
              SELECT sku, store, thing, slot,
                     sum(greatest(previous - "count", 0)) AS sold,
                     date_diff('second', min(ts), max(ts)) / 3600.0 AS hours,
                     max_by("count", ts) AS on_shelf
              FROM steps
              GROUP BY sku, store, thing, slot
            )
            SELECT sku, store, thing, slot, on_shelf,
                   sold / nullif(hours, 0) AS items_per_hour,
                   on_shelf / nullif(sold / nullif(hours, 0), 0) AS hours_to_empty
            FROM rates
            WHERE sold > 0
            ORDER BY hours_to_empty ASC
            """),
        new(
            "sensors-in-fault",
            "Slots whose latest reading (last 2 days) is a sensor fault, with the reason",
            """
            SELECT store, thing, slot,
                   max_by(reason, ts) AS reason,
                   max(ts) AS last_reading,
                   count_if(status = 'fault') AS fault_readings
            FROM curated_readings
            WHERE dt >= cast(current_date - interval '2' day AS varchar)
            GROUP BY store, thing, slot
            HAVING max_by(status, ts) = 'fault'
            ORDER BY last_reading DESC
            """),
        new(
            "picks-per-sku-per-day",
            "Items picked per SKU, store and day from pick events (raw zone, duplicates removed; last 7 days)",
            """
            SELECT dt, store, sku,
                   sum(-delta) AS items_picked,
                   count(*) AS picks
            FROM (
              SELECT DISTINCT store, dt, thing, slot, sku, ts, delta
              FROM raw_events
              WHERE dt >= cast(current_date - interval '7' day AS varchar)
                AND schema = 'shelf.event.v1' AND type = 'pick'
            )
            GROUP BY dt, store, sku
            ORDER BY dt, store, sku
            """),
        new(
            "load-raw-partitions",
            "Registers new store=/dt= folders written by Firehose in the raw table (run before curating)",
            "MSCK REPAIR TABLE raw_readings"),
        new(
            "load-raw-event-partitions",
            "Registers new store=/dt= folders of events and alerts in raw_events",
            "MSCK REPAIR TABLE raw_events"),
        new(
            "curate-yesterday",
            "Copies yesterday's arrivals from raw to curated, deduplicated on (thing, seq), partitioned by reading day",
            """
            INSERT INTO curated_readings
            SELECT schema, thing, sent, received, dropped, seq, ts, slot, sku, grams, "count", status, reason,
                   store, date_format(ts, '%Y-%m-%d') AS dt
            FROM (
              SELECT r.*, row_number() OVER (PARTITION BY thing, seq ORDER BY received) AS copy
              FROM raw_readings r
              WHERE r.dt = cast(current_date - interval '1' day AS varchar)
            )
            WHERE copy = 1
            """),
    ];
}

namespace ShelfAgent.Cloud.Lake;

/// <summary>A saved Athena query: name, description, SQL.</summary>
public sealed record StarterQuery(string Name, string Description, string Sql);

/// <summary>
/// The named queries a data team starts with (Athena engine v3 / Trino SQL) and the ones the schedules run.
/// Data queries use the curated Iceberg tables (one row per reading, event or forecast; dt = the row's own
/// day) and bound dt; the restock list reads raw forecasts, which are minutes old, not a day.
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
            WHERE dt >= cast(cast(current_date - interval '30' day AS date) AS varchar)
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
            WHERE dt >= cast(cast(current_date - interval '7' day AS date) AS varchar)
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
              WHERE dt >= cast(cast(current_date - interval '7' day AS date) AS varchar)
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
            WHERE dt >= cast(cast(current_date - interval '2' day AS date) AS varchar)
            GROUP BY store, thing, slot
            HAVING max_by(status, ts) = 'fault'
            ORDER BY last_reading DESC
            """),
        new(
            "picks-per-sku-per-day",
            "Items picked per SKU, store and day from curated pick events (last 7 days)",
            """
            SELECT dt, store, sku,
                   sum(-delta) AS items_picked,
                   count(*) AS picks
            FROM curated_events
            WHERE dt >= cast(cast(current_date - interval '7' day AS date) AS varchar)
              AND schema = 'shelf.event.v1' AND type = 'pick'
            GROUP BY dt, store, sku
            ORDER BY dt, store, sku
            """),
        new(
            RestockList,
            "Per store, the slots whose latest forecast expects a stock-out within the next 2 hours: first those that empty before their next " +
            "expected refill, then soonest first",
            """
            WITH latest AS (
              SELECT store, thing, slot,
                     max_by(sku, ts) AS sku,
                     max_by("count", ts) AS on_shelf,
                     max_by(ratePerHour, ts) AS picks_per_hour,
                     max_by(expectedEmpty, ts) AS expected_empty,
                     max_by(probEmpty, ts) AS probability,
                     max_by(nextRefill, ts) AS next_refill,
                     max(ts) AS forecast_at
              FROM raw_forecasts
              WHERE dt >= cast(cast(current_date - interval '1' day AS date) AS varchar)
              GROUP BY store, thing, slot
            )
            SELECT store, thing, slot, sku, on_shelf, picks_per_hour, expected_empty, probability, next_refill,
                   (next_refill IS NULL OR expected_empty < next_refill) AS empties_before_refill, forecast_at
            FROM latest
            WHERE expected_empty IS NOT NULL
              AND expected_empty <= current_timestamp + interval '2' hour
              AND forecast_at >= current_timestamp - interval '1' hour
            ORDER BY store, empties_before_refill DESC, expected_empty, thing, slot
            """),
        new(
            "prediction-health",
            "Per store and day (last 14 days): stock-outs, how many a predicted-empty alert caught at least 30 minutes ahead, missed, alerts raised",
            """
            WITH empties AS (
              SELECT store, thing, slot, ts, dt FROM curated_events
              WHERE dt >= cast(cast(current_date - interval '14' day AS date) AS varchar)
                AND schema = 'shelf.alert.v1' AND type = 'empty'
            ),
            predicted AS (
              SELECT store, thing, slot, ts, coalesce(horizonMinutes, 60) AS horizon, dt FROM curated_events
              WHERE dt >= cast(cast(current_date - interval '15' day AS date) AS varchar)
                AND schema = 'shelf.alert.v1' AND type = 'predicted-empty'
            ),
            judged AS (
              SELECT e.store, e.dt, bool_or(p.ts IS NOT NULL) AS caught
              FROM empties e
              LEFT JOIN predicted p
                ON p.thing = e.thing AND p.slot = e.slot
               AND p.ts <= e.ts - interval '30' minute
               AND p.ts >= e.ts - (p.horizon + 10) * interval '1' minute
              GROUP BY e.store, e.dt, e.thing, e.slot, e.ts
            ),
            outcomes AS (
              SELECT store, dt, count(*) AS stock_outs, count_if(caught) AS caught, count_if(NOT caught) AS missed
              FROM judged GROUP BY store, dt
            ),
            alerts AS (
              SELECT store, dt, count(*) AS predicted_alerts FROM predicted
              WHERE dt >= cast(cast(current_date - interval '14' day AS date) AS varchar)
              GROUP BY store, dt
            )
            SELECT coalesce(o.store, a.store) AS store, coalesce(o.dt, a.dt) AS dt,
                   coalesce(o.stock_outs, 0) AS stock_outs, coalesce(o.caught, 0) AS caught,
                   coalesce(o.missed, 0) AS missed, coalesce(a.predicted_alerts, 0) AS predicted_alerts
            FROM outcomes o
            FULL OUTER JOIN alerts a ON a.store = o.store AND a.dt = o.dt
            ORDER BY store, dt
            """),
        new(
            CurateReadings,
            "Merges yesterday's arrival day of raw readings into curated_readings on (thing, seq, ts): reruns and late batches never duplicate",
            $$"""
            MERGE INTO curated_readings t
            USING (
              SELECT schema, thing, store, sent, received, dropped, seq, ts, slot, sku, grams, "count", status, reason, timeUntrusted,
                     date_format(ts, '%Y-%m-%d') AS dt
              FROM (
                SELECT r.*, row_number() OVER (PARTITION BY thing, seq, ts ORDER BY received) AS copy
                FROM raw_readings r
                WHERE r.dt = cast(cast(current_date - interval '1' day AS date) AS varchar)
              )
              WHERE copy = 1
            ) s
            ON t.thing = s.thing AND t.seq = s.seq AND t.ts = s.ts AND t.dt >= cast(cast(current_date - interval '{{TargetDays}}' day AS date) AS varchar)
            WHEN NOT MATCHED THEN INSERT
              (schema, thing, store, sent, received, dropped, seq, ts, slot, sku, grams, "count", status, reason, timeUntrusted, dt)
              VALUES (s.schema, s.thing, s.store, s.sent, s.received, s.dropped, s.seq, s.ts, s.slot, s.sku, s.grams, s."count", s.status, s.reason,
                      s.timeUntrusted, s.dt)
            """),
        new(
            CurateEvents,
            "Merges yesterday's arrival day of raw events and alerts into curated_events on (thing, slot, type, ts)",
            $$"""
            MERGE INTO curated_events t
            USING (
              SELECT schema, thing, store, ts, slot, sku, type, delta, "count", reason,
                     expectedEmpty, probability, ratePerHour, horizonMinutes, received,
                     date_format(ts, '%Y-%m-%d') AS dt
              FROM (
                SELECT r.*, row_number() OVER (PARTITION BY thing, slot, type, ts ORDER BY received) AS copy
                FROM raw_events r
                WHERE r.dt = cast(cast(current_date - interval '1' day AS date) AS varchar)
              )
              WHERE copy = 1
            ) s
            ON t.thing = s.thing AND t.slot = s.slot AND t.type = s.type AND t.ts = s.ts
              AND t.dt >= cast(cast(current_date - interval '{{TargetDays}}' day AS date) AS varchar)
            WHEN NOT MATCHED THEN INSERT
              (schema, thing, store, ts, slot, sku, type, delta, "count", reason, expectedEmpty, probability, ratePerHour, horizonMinutes, received, dt)
              VALUES (s.schema, s.thing, s.store, s.ts, s.slot, s.sku, s.type, s.delta, s."count", s.reason,
                      s.expectedEmpty, s.probability, s.ratePerHour, s.horizonMinutes, s.received, s.dt)
            """),
        new(
            CurateForecasts,
            "Merges yesterday's arrival day of raw forecasts into curated_forecasts on (thing, slot, ts)",
            $$"""
            MERGE INTO curated_forecasts t
            USING (
              SELECT schema, thing, store, ts, horizonMinutes, slot, sku, "count", ratePerHour, expectedEmpty, probEmpty, profile, received,
                     nextRefill, date_format(ts, '%Y-%m-%d') AS dt
              FROM (
                SELECT r.*, row_number() OVER (PARTITION BY thing, slot, ts ORDER BY received) AS copy
                FROM raw_forecasts r
                WHERE r.dt = cast(cast(current_date - interval '1' day AS date) AS varchar)
              )
              WHERE copy = 1
            ) s
            ON t.thing = s.thing AND t.slot = s.slot AND t.ts = s.ts AND t.dt >= cast(cast(current_date - interval '{{TargetDays}}' day AS date) AS varchar)
            WHEN NOT MATCHED THEN INSERT
              (schema, thing, store, ts, horizonMinutes, slot, sku, "count", ratePerHour, expectedEmpty, probEmpty, profile, received,
               nextRefill, dt)
              VALUES (s.schema, s.thing, s.store, s.ts, s.horizonMinutes, s.slot, s.sku, s."count", s.ratePerHour, s.expectedEmpty,
                      s.probEmpty, s.profile, s.received, s.nextRefill, s.dt)
            """),
    ];

    /// <summary>Name of the restock list (CONTRACT-13).</summary>
    public const string RestockList = "restock-list";

    /// <summary>
    /// How far back (curated dt = the row's own day) a MERGE looks for a match: the target scan is bounded by it, so a
    /// nightly run reads one arrival day of raw and this window of curated, not the whole table. A row older than this
    /// that arrives again (a replay of month-old errors) is inserted once more; rows that old arrive only by replay.
    /// </summary>
    public const int TargetDays = 35;

    /// <summary>Name of the readings curation.</summary>
    public const string CurateReadings = "curate-readings";

    /// <summary>Name of the events-and-alerts curation.</summary>
    public const string CurateEvents = "curate-events";

    /// <summary>Name of the forecasts curation.</summary>
    public const string CurateForecasts = "curate-forecasts";

    /// <summary>Name of the demand-profile training query.</summary>
    public const string TrainProfiles = "train-profiles";

    /// <summary>Name of the SageMaker training-dataset export.</summary>
    public const string TrainingDataset = "training-dataset";

    /// <summary>Pseudo-weeks of prior in the profile shrinkage (a slot with K weeks of history weighs half its own shape).</summary>
    public const int ShrinkageWeeks = Learning.TrainingQuery.PriorWeight;

    /// <summary>Weeks of pick history a profile is trained on.</summary>
    public const int ProfileWeeks = Learning.TrainingQuery.Weeks;

    /// <summary>
    /// The profile training (docs/models.md): <see cref="Learning.TrainingQuery"/>, the SQL the local lake runs too — per
    /// slot and hour of week, picks per in-stock hour of the last <see cref="ProfileWeeks"/> weeks, shrunk toward a prior
    /// by <see cref="ShrinkageWeeks"/> pseudo-weeks; with <paramref name="withSales"/>, the prior is the store's POS sales
    /// of the SKU (<c>source</c>: shelf, sales or blend). One shelf.profile.v1 JSON document per line (CONTRACT-13),
    /// UNLOADed as text into a new folder per run.
    /// </summary>
    public static string ProfilesSql(string location, bool withSales = false) => Learning.TrainingQuery.AthenaUnload(location, withSales);

    /// <summary>
    /// The SageMaker training dataset: hourly picks per slot over the last 8 weeks, zero hours included, with
    /// calendar features (UTC): hour, day_of_week (Monday = 0), hour_of_week (0..167), is_weekend, date.
    /// Athena lower-cases column names, so the features are snake_case. Parquet (Snappy), a new folder per run.
    /// </summary>
    public static string TrainingDatasetSql(string location) => $$"""
        UNLOAD (
          WITH picks AS (
            SELECT store, thing, slot, sku, ts, date_trunc('hour', ts) AS hour_start, -delta AS items
            FROM curated_events
            WHERE schema = 'shelf.event.v1' AND type = 'pick' AND delta < 0
              AND dt >= cast(cast(current_date - interval '56' day AS date) AS varchar)
              AND dt < cast(current_date AS varchar)
          ),
          slots AS (
            SELECT store, thing, slot, max_by(sku, ts) AS sku, min(hour_start) AS first_hour,
                   date_add('hour', -1, cast(current_date AS timestamp)) AS last_hour
            FROM picks GROUP BY store, thing, slot
          ),
          hourly AS (
            SELECT store, thing, slot, hour_start, sum(items) AS picks FROM picks GROUP BY store, thing, slot, hour_start
          )
          SELECT s.store, s.thing, s.slot, s.sku, g.hour_start, coalesce(h.picks, 0) AS picks,
                 hour(g.hour_start) AS hour,
                 day_of_week(g.hour_start) - 1 AS day_of_week,
                 (day_of_week(g.hour_start) - 1) * 24 + hour(g.hour_start) AS hour_of_week,
                 day_of_week(g.hour_start) >= 6 AS is_weekend,
                 cast(g.hour_start AS date) AS date
          FROM slots s
          CROSS JOIN UNNEST(sequence(s.first_hour, s.last_hour, interval '1' hour)) AS g(hour_start)
          LEFT JOIN hourly h ON h.store = s.store AND h.thing = s.thing AND h.slot = s.slot AND h.hour_start = g.hour_start
        )
        TO '{{location}}'
        WITH (format = 'PARQUET', compression = 'SNAPPY')
        """;
}

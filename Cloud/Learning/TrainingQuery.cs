namespace ShelfAgent.Cloud.Learning;

/// <summary>
/// The profile training (docs/models.md), one SELECT for Athena (Trino) and the local lake (DuckDB): per slot and hour
/// of week, picks per <b>in-stock</b> hour (the device's definition: an hour counts by the share of its readings with
/// stock on the slot and the sensor working), shrunk toward a prior; the prior is the store's POS sales of the SKU
/// (curated_sales) scaled to the slot's share when the store sells it, each hour of week shrunk toward that hour of day
/// on the 7 days (<see cref="SalesDayShapeWeeks"/>), else the slot's own mean rate spread over its
/// store's and SKU's hour-of-week shape. A slot with under a day of in-stock history takes the sales prior alone.
/// Each row says which source it used (<c>shelf</c>, <c>sales</c>, <c>blend</c>) and its <c>weeks</c>.
/// </summary>
/// <remarks>
/// Dialects: the text uses only what both engines read alike, except <c>day_of_week</c> and <c>sequence</c>, which
/// DuckDB lacks; the local lake defines them as macros with Trino's meaning (the local lake's <c>DuckDbPrelude</c>), and
/// LocalLake.Tests checks each against Trino's documented values. Date arithmetic stays on DATE values
/// (<c>date_diff('day', date, date)</c> counts whole days in both; on timestamps DuckDB counts boundaries crossed, Trino
/// elapsed units), and <c>dt</c> bounds are cast to DATE before text (DuckDB's DATE − INTERVAL is a TIMESTAMP).
/// </remarks>
public static class TrainingQuery
{
    /// <summary>Weeks of history read.</summary>
    public const int Weeks = 6;

    /// <summary>Pseudo-observations of the prior per hour of week (as many as 4 weeks of that hour).</summary>
    public const int PriorWeight = 4;

    /// <summary>In-stock hours under which a slot's own history is not used: a day of selling (the device's ShapeAfter).</summary>
    public const int ShelfHoursNeeded = 24;

    /// <summary>
    /// Pseudo-weeks of the sales' hour-of-day mean (that hour on the 7 days) that each hour of week of the sales prior is
    /// shrunk toward. Raw sales per hour of week are a few counts each (2 weeks of sales: 0, 0.47, 1.4 … picks per hour),
    /// and a new device runs on that prior alone; the device's own learning pools the days the same way. Tuned on seed 7
    /// of Bench/cold-start.sh (docs/benchmarks.md, "Cold start … Round 5").
    /// </summary>
    public const int SalesDayShapeWeeks = 10;

    /// <summary>
    /// The SELECT: one row per (store, thing, slot, sku) with <c>source</c>, <c>weeks</c>, <c>shelf_hours</c>,
    /// <c>sales_units</c> and <c>rates</c> (168 values, hour of week UTC, Monday 00:00 = 0).
    /// </summary>
    /// <param name="end">A DATE expression: training uses [end − 6 weeks, end). Athena: <c>current_date</c>.</param>
    /// <param name="withSales">False when the stage has no sales source (no curated_sales table): profiles are shelf-only.</param>
    public static string Select(string end, bool withSales)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(end);
        var from = $"cast(cast({end} - interval '{Weeks * 7}' day AS date) AS varchar)";
        var to = $"cast(cast({end} AS date) AS varchar)";
        var sales = withSales
            ? $"""
              SELECT store_id AS store, sku, (day_of_week(sold_at) - 1) * 24 + hour(sold_at) AS how, sum(quantity) AS units,
                       min(cast(sold_at AS date)) AS first_day
                FROM curated_sales
                WHERE sold_at >= cast({end} - interval '{Weeks * 7}' day AS timestamp) AND sold_at < cast({end} AS timestamp)
                GROUP BY store_id, sku, (day_of_week(sold_at) - 1) * 24 + hour(sold_at)
              """
            : "SELECT cast(NULL AS varchar) AS store, cast(NULL AS varchar) AS sku, 0 AS how, 0 AS units, cast(NULL AS date) AS first_day WHERE 1 = 0";
        return $$"""
            WITH readings AS (
              SELECT store, thing, slot, sku, ts, date_trunc('hour', ts) AS hour_start,
                     CASE WHEN "count" > 0 AND status <> 'fault' THEN 1e0 ELSE 0e0 END AS stocked
              FROM curated_readings
              WHERE dt >= {{from}} AND dt < {{to}}
            ),
            exposure AS (
              SELECT thing, slot, (day_of_week(hour_start) - 1) * 24 + hour(hour_start) AS how, sum(in_stock) AS hours
              FROM (SELECT thing, slot, hour_start, avg(stocked) AS in_stock FROM readings GROUP BY thing, slot, hour_start) AS h
              GROUP BY thing, slot, (day_of_week(hour_start) - 1) * 24 + hour(hour_start)
            ),
            picks AS (
              SELECT store, thing, slot, sku, -delta AS items, (day_of_week(ts) - 1) * 24 + hour(ts) AS how
              FROM curated_events
              WHERE schema = 'shelf.event.v1' AND type = 'pick' AND delta < 0
                AND dt >= {{from}} AND dt < {{to}}
            ),
            slot_picks AS (
              SELECT thing, slot, how, sum(items) AS items FROM picks GROUP BY thing, slot, how
            ),
            slot_exposure AS (
              SELECT thing, slot, sum(hours) AS shelf_hours FROM exposure GROUP BY thing, slot
            ),
            slot_items AS (
              SELECT thing, slot, sum(items) AS items FROM slot_picks GROUP BY thing, slot
            ),
            slots AS (
              SELECT r.store, r.thing, r.slot, r.sku, coalesce(x.shelf_hours, 0) AS shelf_hours, coalesce(i.items, 0) AS items
              FROM (SELECT store, thing, slot, max_by(sku, ts) AS sku FROM readings GROUP BY store, thing, slot) AS r
              LEFT JOIN slot_exposure x ON x.thing = r.thing AND x.slot = r.slot
              LEFT JOIN slot_items i ON i.thing = r.thing AND i.slot = r.slot
            ),
            sku_slots AS (
              SELECT store, sku, count(*) AS n_slots FROM slots GROUP BY store, sku
            ),
            store_shape AS (
              SELECT store, how, sum(items) * 1e0 / sum(sum(items)) OVER (PARTITION BY store) AS share
              FROM picks GROUP BY store, how
            ),
            sku_shape AS (
              SELECT sku, how, sum(items) * 1e0 / sum(sum(items)) OVER (PARTITION BY sku) AS share
              FROM picks GROUP BY sku, how
            ),
            sales_hours AS (
              {{sales}}
            ),
            sales_day AS (
              SELECT store, sku, how % 24 AS hod, sum(units) AS units FROM sales_hours GROUP BY store, sku, how % 24
            ),
            sales_totals AS (
              SELECT store, sku, sum(units) AS units,
                     least({{Weeks}}e0, greatest(1e0, date_diff('day', min(first_day), cast({{end}} AS date)) / 7e0)) AS weeks
              FROM sales_hours GROUP BY store, sku
            ),
            judged AS (
              SELECT s.store, s.thing, s.slot, s.sku, s.shelf_hours, s.items, k.n_slots, t.units AS sales_units, t.weeks AS sales_weeks,
                     CASE WHEN t.units IS NULL OR t.units <= 0 THEN 'shelf'
                          WHEN s.shelf_hours < {{ShelfHoursNeeded}} THEN 'sales'
                          ELSE 'blend' END AS source
              FROM slots s
              JOIN sku_slots k ON k.store = s.store AND k.sku = s.sku
              LEFT JOIN sales_totals t ON t.store = s.store AND t.sku = s.sku
              WHERE s.shelf_hours > 0 OR t.units > 0
            ),
            rates AS (
              SELECT j.store, j.thing, j.slot, j.sku, j.source, j.shelf_hours, j.sales_units, j.sales_weeks, h.how,
                     CASE WHEN j.source = 'shelf'
                          THEN j.items / j.shelf_hours * 168 * (0.5e0 * coalesce(st.share, 0) + 0.5e0 * coalesce(sk.share, 0))
                          ELSE (coalesce(sh.units, 0) + {{SalesDayShapeWeeks}}e0 * coalesce(sd.units, 0) / (7e0 * j.sales_weeks))
                               / (j.sales_weeks + {{SalesDayShapeWeeks}}e0) / j.n_slots END AS prior,
                     coalesce(e.hours, 0) AS hours, coalesce(sp.items, 0) AS items
              FROM judged j
              CROSS JOIN UNNEST(sequence(0, 167)) AS h(how)
              LEFT JOIN exposure e ON e.thing = j.thing AND e.slot = j.slot AND e.how = h.how
              LEFT JOIN slot_picks sp ON sp.thing = j.thing AND sp.slot = j.slot AND sp.how = h.how
              LEFT JOIN store_shape st ON st.store = j.store AND st.how = h.how
              LEFT JOIN sku_shape sk ON sk.sku = j.sku AND sk.how = h.how
              LEFT JOIN sales_hours sh ON sh.store = j.store AND sh.sku = j.sku AND sh.how = h.how
              LEFT JOIN sales_day sd ON sd.store = j.store AND sd.sku = j.sku AND sd.hod = h.how % 24
            )
            SELECT store, thing, slot, sku, source,
                   CAST(round(least({{Weeks}}e0, greatest(1e0, CASE source WHEN 'sales' THEN sales_weeks
                                                             WHEN 'shelf' THEN shelf_hours / 168e0
                                                             ELSE greatest(shelf_hours / 168e0, sales_weeks) END))) AS integer) AS weeks,
                   round(shelf_hours, 1) AS shelf_hours, coalesce(sales_units, 0) AS sales_units,
                   array_agg(round(CASE WHEN source = 'sales' THEN prior
                                        ELSE (items + {{PriorWeight}} * prior) / (hours + {{PriorWeight}}) END, 3) ORDER BY how) AS rates
            FROM rates
            GROUP BY store, thing, slot, sku, source, shelf_hours, sales_units, sales_weeks
            ORDER BY store, thing, slot
            """;
    }

    /// <summary>
    /// The Athena form: <see cref="Select"/> over the last 6 weeks before today, each row one <c>shelf.profile.v1</c>
    /// JSON document (with <c>source</c> and <c>weeks</c>), UNLOADed as text into a new folder per run.
    /// </summary>
    public static string AthenaUnload(string location, bool withSales) => $$"""
        UNLOAD (
          SELECT json_format(CAST(MAP(
                   ARRAY['schema', 'store', 'thing', 'slot', 'sku', 'generated', 'weeks', 'source', 'picksPerHour'],
                   ARRAY[CAST('shelf.profile.v1' AS JSON), CAST(store AS JSON), CAST(thing AS JSON), CAST(slot AS JSON),
                         CAST(sku AS JSON),
                         CAST(format_datetime(current_timestamp AT TIME ZONE 'UTC', 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS JSON),
                         CAST(weeks AS JSON), CAST(source AS JSON), CAST(rates AS JSON)]) AS JSON)) AS line
          FROM (
        {{Select("current_date", withSales)}}
          ) AS trained
        )
        TO '{{location}}'
        WITH (format = 'TEXTFILE', compression = 'NONE')
        """;
}

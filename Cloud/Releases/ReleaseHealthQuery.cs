namespace ShelfAgent.Cloud.Releases;

/// <summary>
/// Prediction health per store and per release since a day (the watch of a profile release, docs/models.md): each
/// slot-day is attributed to the release its forecasts name (<c>profile</c> = <c>cloud:&lt;release&gt;</c>, the newest of
/// the day); per (store, release): slot-days, stock-outs (<c>empty</c> alerts), those caught by a predicted-empty alert
/// at least 30 minutes ahead within its horizon + 10 minutes (as <c>prediction-health</c>), predicted-empty alerts, and
/// the <b>strict</b> false alarms among them: no stock-out of the slot within the alert's horizon + 10 minutes (a restock
/// never confirms an alert; the cloud has no counterfactual empty time, so this is stricter than the backtest's strict).
/// <c>{FROM}</c> is replaced by the watch with the canary's first day (yyyy-MM-dd).
/// </summary>
public static class ReleaseHealthQuery
{
    /// <summary>Name of the Athena named query (the same SQL, by hand, with {FROM} replaced).</summary>
    public const string Name = "release-health";

    /// <summary>The placeholder of the first day.</summary>
    public const string From = "{FROM}";

    /// <summary>The SQL: rows of store, profile, slot_days, stock_outs, caught, alerts, false_alarms.</summary>
    public const string Sql = """
        WITH days AS (
          SELECT store, thing, slot, dt, max_by(profile, ts) AS profile
          FROM curated_forecasts WHERE dt >= '{FROM}'
          GROUP BY store, thing, slot, dt
        ),
        empties AS (
          SELECT thing, slot, ts, dt FROM curated_events
          WHERE dt >= '{FROM}' AND schema = 'shelf.alert.v1' AND type = 'empty'
        ),
        predicted AS (
          SELECT thing, slot, ts, coalesce(horizonMinutes, 60) AS horizon, dt FROM curated_events
          WHERE dt >= '{FROM}' AND schema = 'shelf.alert.v1' AND type = 'predicted-empty'
        ),
        stock_outs AS (
          SELECT e.thing, e.slot, e.dt, bool_or(p.ts IS NOT NULL) AS caught
          FROM empties e
          LEFT JOIN predicted p
            ON p.thing = e.thing AND p.slot = e.slot
           AND p.ts <= e.ts - interval '30' minute
           AND p.ts >= e.ts - (p.horizon + 10) * interval '1' minute
          GROUP BY e.thing, e.slot, e.dt, e.ts
        ),
        alerts AS (
          SELECT p.thing, p.slot, p.dt, bool_or(e.ts IS NOT NULL) AS confirmed
          FROM predicted p
          LEFT JOIN empties e
            ON e.thing = p.thing AND e.slot = p.slot
           AND e.ts >= p.ts AND e.ts <= p.ts + (p.horizon + 10) * interval '1' minute
          GROUP BY p.thing, p.slot, p.dt, p.ts
        ),
        per_day AS (
          SELECT d.store, coalesce(d.profile, 'none') AS profile,
                 coalesce(o.stock_outs, 0) AS stock_outs, coalesce(o.caught, 0) AS caught,
                 coalesce(a.alerts, 0) AS alerts, coalesce(a.false_alarms, 0) AS false_alarms
          FROM days d
          LEFT JOIN (SELECT thing, slot, dt, count(*) AS stock_outs, count_if(caught) AS caught FROM stock_outs GROUP BY thing, slot, dt) o
            ON o.thing = d.thing AND o.slot = d.slot AND o.dt = d.dt
          LEFT JOIN (SELECT thing, slot, dt, count(*) AS alerts, count_if(NOT confirmed) AS false_alarms FROM alerts GROUP BY thing, slot, dt) a
            ON a.thing = d.thing AND a.slot = d.slot AND a.dt = d.dt
        )
        SELECT store, profile, count(*) AS slot_days, sum(stock_outs) AS stock_outs, sum(caught) AS caught,
               sum(alerts) AS alerts, sum(false_alarms) AS false_alarms
        FROM per_day
        GROUP BY store, profile
        ORDER BY store, profile
        """;
}

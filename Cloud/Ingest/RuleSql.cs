namespace ShelfAgent.Cloud.Ingest;

/// <summary>
/// The topic rules' SQL (AWS IoT SQL version 2016-03-23). topic(3) is the store id and topic(4) the thing
/// name (dt/shelf/{store}/{thing}/{kind}); both come from the topic, which the device policy pins to the
/// certificate's thing, so downstream code can trust them over the payload's own fields.
/// </summary>
public static class RuleSql
{
    /// <summary>The IoT SQL version all rules use.</summary>
    public const string Version = "2016-03-23";

    /// <summary>
    /// Kinesis partition key: the thing name, so one device's messages stay in order on one shard while a store's
    /// devices spread over all shards (a draining device sends up to 512 KB/s, a shard takes 1 MB/s).
    /// </summary>
    public const string ThingPartitionKey = "${topic(4)}";

    /// <summary>
    /// Telemetry batches to the stream, with the topic's store and thing added. Devices publish them through Basic Ingest,
    /// <c>$aws/rules/{this rule}/dt/shelf/{store}/{thing}/telemetry</c>: the FROM filter is matched against the topic after
    /// that prefix, and the prefix is not available to topic(Decimal) (developer guide, "Reducing messaging costs with Basic
    /// Ingest" and "Functions: topic(Decimal)"), so topic(3)/topic(4) stay the store and the thing, and the same SQL serves a
    /// device that publishes to the plain topic (<c>Publish:BasicIngestRule</c> empty).
    /// </summary>
    public const string Telemetry =
        "SELECT *, topic(3) AS topic_store, topic(4) AS topic_thing FROM '" + Topics.Telemetry + "'";

    /// <summary>Pick/restock events to the stream.</summary>
    public const string Events =
        "SELECT *, topic(3) AS topic_store, topic(4) AS topic_thing FROM '" + Topics.Events + "'";

    /// <summary>All alerts (low, empty, sensor fault) to the stream.</summary>
    public const string Alerts =
        "SELECT *, topic(3) AS topic_store, topic(4) AS topic_thing FROM '" + Topics.Alerts + "'";

    /// <summary>Forecasts to the stream.</summary>
    public const string Forecast =
        "SELECT *, topic(3) AS topic_store, topic(4) AS topic_thing FROM '" + Topics.Forecast + "'";

    /// <summary>Predicted and actual stock-outs to EventBridge (through a queue and a pipe), for notifications and prediction health.</summary>
    public const string Predictions =
        "SELECT *, topic(3) AS topic_store, topic(4) AS topic_thing FROM '" + Topics.Alerts +
        "' WHERE type = 'predicted-empty' OR type = 'predicted-empty-cleared' OR type = 'empty'";

    /// <summary>Only stock-out alerts (type empty or low) to the notification topic.</summary>
    public const string StockOut =
        "SELECT *, topic(3) AS topic_store, topic(4) AS topic_thing FROM '" + Topics.Alerts +
        "' WHERE type = 'empty' OR type = 'low'";

    /// <summary>
    /// Status ({"online":true,"ts":…,"version":…} after connect) and last will ({"online":false}) to the
    /// connectivity table: one item per thing, last write wins. timestamp() is the broker's receive time in ms,
    /// so readers can tell how fresh a row is; ts and version are absent from a will, so its item has none.
    /// </summary>
    public const string Status =
        "SELECT topic(4) AS thingName, topic(3) AS storeId, online, ts, version, timestamp() AS updatedAtMs FROM '" + Topics.Status + "'";
}

using Microsoft.Data.Sqlite;
using ShelfAgent.Stock;

namespace ShelfAgent.Outbox;

/// <summary>Maps outbox rows to records (columns in the order of <see cref="ReadingColumns"/> / <see cref="EventColumns"/>).</summary>
internal static class OutboxRows
{
    public const string ReadingColumns = "seq, ts, slot, sku, grams, count, status, reason, n, gmin, gmax, faults";

    /// <summary>The reading columns of a file read-only: one an older agent wrote has no summary columns yet.</summary>
    public static string ReadingColumnsOf(bool hasSummary) =>
        hasSummary ? ReadingColumns : "seq, ts, slot, sku, grams, count, status, reason, NULL, NULL, NULL, NULL";

    /// <summary>The columns of a raw row (<see cref="Raw"/>).</summary>
    public const string RawColumns = "ts, slot, sku, grams, count, status, reason";

    /// <summary>
    /// Added to the status column for a reading taken while the clock was not trusted: no new column, so files written
    /// before keep working and an older agent reading a newer file only misses the mark (values 0–3 stay as they were).
    /// </summary>
    public const int TimeUntrustedBit = 16;

    public const string EventColumns = "id, ts, kind, payload, form";

    /// <summary>The event columns of a file with schema <paramref name="version"/>: schema 1 had no <c>form</c> and held wire payloads.</summary>
    public static string EventColumnsOf(long version) => version >= 2 ? EventColumns : "id, ts, kind, payload, 1";

    public static StoredReading Reading(SqliteDataReader r) => new(
        r.GetInt64(0),
        new Reading(
            DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
            r.GetString(2),
            r.GetString(3),
            r.IsDBNull(4) ? null : r.GetDouble(4),
            r.IsDBNull(5) ? null : r.GetInt32(5),
            (StockStatus)(r.GetInt32(6) & (TimeUntrustedBit - 1)),
            r.IsDBNull(7) ? null : r.GetString(7),
            (r.GetInt32(6) & TimeUntrustedBit) != 0,
            r.IsDBNull(8) ? null : new ReadingSummary(r.GetInt32(8), r.IsDBNull(9) ? null : r.GetDouble(9), r.IsDBNull(10) ? null : r.GetDouble(10),
                r.IsDBNull(11) ? 0 : r.GetInt32(11))));

    /// <summary>A raw row (columns of <see cref="RawColumns"/>) as a reading.</summary>
    public static Reading Raw(SqliteDataReader r) => new(
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(0)),
        r.GetString(1),
        r.GetString(2),
        r.IsDBNull(3) ? null : r.GetDouble(3),
        r.IsDBNull(4) ? null : r.GetInt32(4),
        (StockStatus)(r.GetInt32(5) & (TimeUntrustedBit - 1)),
        r.IsDBNull(6) ? null : r.GetString(6),
        (r.GetInt32(5) & TimeUntrustedBit) != 0);

    public static StoredEvent Event(SqliteDataReader r)
    {
        var ts = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1));
        // Parsed once, here: every schema wrote only the three words, so another one is a damaged file.
        var stored = r.GetString(2);
        if (!OutboxEventKinds.TryParse(stored, out var kind))
        {
            throw new OutboxCorruptException($"an event row has the unknown kind '{stored}'");
        }

        var text = r.GetString(3);
        return new(r.GetInt64(0), r.GetInt64(4) == OutboxFile.FormWirePayload
            ? OutboxEvent.FromSchema1(ts, kind, text)
            : new OutboxEvent(StoredMessage.Decode(kind, text)));
    }
}

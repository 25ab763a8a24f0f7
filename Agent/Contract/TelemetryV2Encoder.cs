using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Contract;

/// <summary>
/// Pure encoder of <c>shelf.telemetry.v2</c> (docs/data-contract-v2.md): the same readings as v1, stored column
/// by column so a backlog batch costs about 15–20 bytes per reading instead of v1's ~115. Times are deltas from a
/// base, sequence numbers are runs, (slot, sku) pairs are listed once, statuses are one letter each.
/// </summary>
public static class TelemetryV2Encoder
{
    /// <summary>The schema name in every payload.</summary>
    public const string Schema = "shelf.telemetry.v2";

    /// <summary>
    /// Encodes the first readings that fit in <paramref name="maxBytes"/> (always at least one) and returns how
    /// many it took; the caller sends the rest in a later batch.
    /// </summary>
    public static int Encode(
        IBufferWriter<byte> output,
        TelemetryEnvelope envelope,
        DateTimeOffset sent,
        IReadOnlyList<StoredReading> readings,
        IReadOnlyDictionary<string, long>? dropped,
        int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentOutOfRangeException.ThrowIfZero(readings.Count);
        var scratch = new ArrayBufferWriter<byte>(Math.Min(Math.Max(maxBytes, 256), 64 * 1024));
        var take = readings.Count;
        while (true)
        {
            scratch.ResetWrittenCount();
            Write(scratch, envelope, sent, readings, take, dropped);
            if (scratch.WrittenCount <= maxBytes || take == 1)
            {
                break;
            }

            // Columns cannot be cut mid-stream: shrink in proportion (with 5% slack) and encode again.
            var ratio = (double)maxBytes / scratch.WrittenCount;
            take = Math.Max(1, Math.Min(take - 1, (int)(take * ratio * 0.95)));
        }

        output.Write(scratch.WrittenSpan);
        return take;
    }

    /// <summary>Encodes all readings into a new array (tests, tools).</summary>
    public static byte[] Encode(
        TelemetryEnvelope envelope, DateTimeOffset sent, IReadOnlyList<StoredReading> readings, IReadOnlyDictionary<string, long>? dropped = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Encode(buffer, envelope, sent, readings, dropped, int.MaxValue);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The one-letter status codes of the <c>status</c> string.</summary>
    public static char StatusCode(StockStatus status) => status switch
    {
        StockStatus.Ok => 'o',
        StockStatus.Low => 'l',
        StockStatus.Empty => 'e',
        StockStatus.Fault => 'f',
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static void Write(ArrayBufferWriter<byte> output, TelemetryEnvelope envelope, DateTimeOffset sent,
        IReadOnlyList<StoredReading> readings, int n, IReadOnlyDictionary<string, long>? dropped)
    {
        using var w = new Utf8JsonWriter(output);
        var t0 = readings[0].Reading.Timestamp.ToUnixTimeMilliseconds();
        w.WriteStartObject();
        WireFormat.WriteEnvelope(w, Schema, envelope, sent, dropped);

        w.WriteString("t0"u8, WireFormat.Timestamp(DateTimeOffset.FromUnixTimeMilliseconds(t0)));

        // seq: [first, length] runs in reading order.
        w.WriteStartArray("seq"u8);
        for (var i = 0; i < n;)
        {
            var first = readings[i].Seq;
            var j = i + 1;
            while (j < n && readings[j].Seq == readings[j - 1].Seq + 1)
            {
                j++;
            }

            w.WriteStartArray();
            w.WriteNumberValue(first);
            w.WriteNumberValue(j - i);
            w.WriteEndArray();
            i = j;
        }

        w.WriteEndArray();

        // keys: distinct (slot, sku) pairs in order of first use; key[]: index per reading.
        var keys = new Dictionary<(string, string), int>();
        w.WriteStartArray("keys"u8);
        for (var i = 0; i < n; i++)
        {
            var r = readings[i].Reading;
            if (keys.TryAdd((r.Slot, r.Sku), keys.Count))
            {
                w.WriteStartArray();
                w.WriteStringValue(r.Slot);
                w.WriteStringValue(r.Sku);
                w.WriteEndArray();
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("key"u8);
        for (var i = 0; i < n; i++)
        {
            w.WriteNumberValue(keys[(readings[i].Reading.Slot, readings[i].Reading.Sku)]);
        }

        w.WriteEndArray();

        // dt: milliseconds since the previous reading (the first since t0, so 0); may be negative.
        w.WriteStartArray("dt"u8);
        var previous = t0;
        for (var i = 0; i < n; i++)
        {
            var ts = readings[i].Reading.Timestamp.ToUnixTimeMilliseconds();
            w.WriteNumberValue(ts - previous);
            previous = ts;
        }

        w.WriteEndArray();
        w.WriteStartArray("grams"u8);
        for (var i = 0; i < n; i++)
        {
            if (readings[i].Reading.Grams is { } g)
            {
                w.WriteNumberValue(g);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("count"u8);
        for (var i = 0; i < n; i++)
        {
            if (readings[i].Reading.Count is { } c)
            {
                w.WriteNumberValue(c);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
        var status = new char[n];
        for (var i = 0; i < n; i++)
        {
            status[i] = StatusCode(readings[i].Reading.Status);
        }

        w.WriteString("status"u8, status);

        // reason: sparse, by reading index.
        var wroteReason = false;
        for (var i = 0; i < n; i++)
        {
            if (readings[i].Reading.Reason is { } reason)
            {
                if (!wroteReason)
                {
                    w.WriteStartObject("reason"u8);
                    wroteReason = true;
                }

                w.WriteString(i.ToString(CultureInfo.InvariantCulture), reason);
            }
        }

        if (wroteReason)
        {
            w.WriteEndObject();
        }

        // untrusted: sparse, the indices of readings taken while the clock was not trusted (issue 14, time floor).
        var wroteUntrusted = false;
        for (var i = 0; i < n; i++)
        {
            if (readings[i].Reading.TimeUntrusted)
            {
                if (!wroteUntrusted)
                {
                    w.WriteStartArray("untrusted"u8);
                    wroteUntrusted = true;
                }

                w.WriteNumberValue(i);
            }
        }

        if (wroteUntrusted)
        {
            w.WriteEndArray();
        }

        WriteSummary(w, readings, n);
        w.WriteEndObject();
    }

    // summary: per-minute summaries (issue 21), columns of n entries, null for a reading that is a plain sample; absent when none is a summary.
    private static void WriteSummary(Utf8JsonWriter w, IReadOnlyList<StoredReading> readings, int n)
    {
        var any = false;
        for (var i = 0; i < n && !any; i++)
        {
            any = readings[i].Reading.Summary is not null;
        }

        if (!any)
        {
            return;
        }

        w.WriteStartObject("summary"u8);
        Column(w, "n"u8, readings, n, s => s.Samples);
        Column(w, "gramsMin"u8, readings, n, s => s.GramsMin);
        Column(w, "gramsMax"u8, readings, n, s => s.GramsMax);
        Column(w, "faults"u8, readings, n, s => s.Faults);
        w.WriteEndObject();
    }

    private static void Column(Utf8JsonWriter w, ReadOnlySpan<byte> name, IReadOnlyList<StoredReading> readings, int n, Func<ReadingSummary, double?> value)
    {
        w.WriteStartArray(name);
        for (var i = 0; i < n; i++)
        {
            if (readings[i].Reading.Summary is { } s && value(s) is { } v)
            {
                w.WriteNumberValue(v);
            }
            else
            {
                w.WriteNullValue();
            }
        }

        w.WriteEndArray();
    }
}

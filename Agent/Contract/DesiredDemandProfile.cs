using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Contract;

/// <summary>
/// A demand profile as shadow desired state (docs/shadow.md, "Desired demand profiles"): one slot's
/// <c>shelf.profile.v1</c> without the fields the device already knows (schema, store, thing, slot), and with the 168
/// picks per hour packed: <c>picksPerHour</c> is the base64 of 168 unsigned 16-bit big-endian integers, each the
/// picks per hour in hundredths (0.00–655.35), Monday 00:00 UTC first — 448 characters instead of about 1,000 as JSON
/// numbers, and always the same size, so how many slots fit in the shadow's 8 KB is a fixed number. Pure.
/// Validation is <see cref="DemandProfileParser.TryRead"/>'s: the entry is unpacked into a full profile document and
/// read by it, so the file and the shadow share one set of rules.
/// </summary>
public static class DesiredDemandProfile
{
    /// <summary>Picks per hour are carried in hundredths.</summary>
    public const double Scale = 100;

    /// <summary>The largest rate the packed form carries (65535 hundredths).</summary>
    public const double MaxPicksPerHour = ushort.MaxValue / Scale;

    /// <summary>Bytes of packed rates before base64.</summary>
    public const int PackedBytes = HourOfWeek.Count * sizeof(ushort);

    /// <summary>
    /// How many bytes of desired demand profiles (their JSON text, summed over slots) a device accepts: 5 KB of the
    /// shadow's 8 KB state document (AWS counts desired and reported together; <c>ShadowLimits.MaxStateBytes</c>),
    /// leaving 3 KB for the reported state without per-slot detail. One entry is 533 bytes with an 8-character SKU (448 of them the
    /// rates), so 9 slots fit; a tenth is refused with this limit as the reason.
    /// </summary>
    public const int MaxTotalBytes = 5 * 1024;

    /// <summary>Packs 168 rates (rounded to hundredths); throws when one is out of the packed range.</summary>
    public static string Pack(IReadOnlyList<double> picksPerHour)
    {
        ArgumentNullException.ThrowIfNull(picksPerHour);
        if (picksPerHour.Count != HourOfWeek.Count)
        {
            throw new ArgumentException($"{HourOfWeek.Count} values are needed", nameof(picksPerHour));
        }

        var bytes = new byte[PackedBytes];
        for (var i = 0; i < picksPerHour.Count; i++)
        {
            var v = Math.Round(picksPerHour[i] * Scale);
            if (!double.IsFinite(v) || v < 0 || v > ushort.MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(picksPerHour), $"picksPerHour[{i}] must be 0–{MaxPicksPerHour}");
            }

            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(i * 2), (ushort)v);
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>The desired entry for <paramref name="profile"/> (what the cloud sends).</summary>
    public static JsonObject Encode(DemandProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var entry = new JsonObject { ["sku"] = profile.Sku };
        if (profile.Generated != DateTimeOffset.MinValue)
        {
            entry["generated"] = WireFormat.Timestamp(profile.Generated);
        }

        entry["weeks"] = profile.Weeks;
        entry["picksPerHour"] = Pack(profile.PicksPerHour);
        return entry;
    }

    /// <summary>
    /// An entry as compact JSON text, without escaping base64's '+' and '/' (the default encoder writes '+' as six
    /// characters), so its length is what it takes in the shadow.
    /// </summary>
    public static string Text(JsonNode entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = new ArrayBufferWriter<byte>(600);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            entry.WriteTo(w);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads one desired entry (JSON text) for slot <paramref name="slot"/> of <paramref name="thing"/> in
    /// <paramref name="store"/>: unpacks the rates and hands a full <c>shelf.profile.v1</c> document to
    /// <see cref="DemandProfileParser.TryRead"/>.
    /// </summary>
    public static bool TryDecode(string entry, string store, string thing, string slot, out DemandProfile profile, out string problem)
    {
        ArgumentNullException.ThrowIfNull(entry);
        profile = null!;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(entry);
        }
        catch (JsonException)
        {
            problem = "must be an object {\"sku\",\"picksPerHour\",\"generated\"?,\"weeks\"?}";
            return false;
        }

        using (doc)
        {
            var e = doc.RootElement;
            if (e.ValueKind != JsonValueKind.Object)
            {
                problem = "must be an object {\"sku\",\"picksPerHour\",\"generated\"?,\"weeks\"?}";
                return false;
            }

            if (!e.TryGetProperty("picksPerHour", out var packed) || packed.ValueKind != JsonValueKind.String || !TryUnpack(packed.GetString()!, out var rates))
            {
                problem = $"picksPerHour must be base64 of {HourOfWeek.Count} unsigned 16-bit big-endian hundredths " +
                    $"({PackedBytes} bytes, {Base64Length} characters; docs/shadow.md)";
                return false;
            }

            var full = StockMessageEncoder.Write(w =>
            {
                w.WriteString("schema"u8, DemandProfile.Schema);
                w.WriteString("store"u8, store);
                w.WriteString("thing"u8, thing);
                w.WriteString("slot"u8, slot);
                foreach (var p in e.EnumerateObject()
                    .Where(p => p.Name != "picksPerHour" && p.Name != "schema" && p.Name != "store" && p.Name != "thing" && p.Name != "slot"))
                {
                    p.WriteTo(w);
                }

                w.WriteStartArray("picksPerHour"u8);
                foreach (var r in rates)
                {
                    w.WriteNumberValue(r);
                }

                w.WriteEndArray();
            });
            using var fullDoc = JsonDocument.Parse(full);
            return DemandProfileParser.TryRead(fullDoc.RootElement, out profile, out problem);
        }
    }

    /// <summary>Characters of the base64 form.</summary>
    public static int Base64Length => (PackedBytes + 2) / 3 * 4;

    /// <summary>Reported instead of the numbers: the first 16 hex digits of SHA-256 over the packed rates.</summary>
    public static string Hash(DemandProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(Pack(profile.PicksPerHour))))[..16];
    }

    /// <summary>Reported beside the hash: the hours of the week with any demand.</summary>
    public static int Hours(DemandProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.PicksPerHour.Count(v => v > 0);
    }

    private static bool TryUnpack(string base64, out double[] rates)
    {
        rates = [];
        var bytes = new byte[PackedBytes + 3];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != PackedBytes)
        {
            return false;
        }

        rates = new double[HourOfWeek.Count];
        for (var i = 0; i < rates.Length; i++)
        {
            rates[i] = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(i * 2)) / Scale;
        }

        return true;
    }
}

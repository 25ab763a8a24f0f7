using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Contract;

/// <summary>Writes <c>shelf.profile.v1</c> (what the cloud's training produces; the bench and tests write them too).</summary>
public static class DemandProfileEncoder
{
    /// <summary>One profile as one JSON line (numbers rounded to 4 decimals: well under the shadow's 8 KB per slot).</summary>
    public static byte[] Encode(DemandProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return StockMessageEncoder.Write(w =>
        {
            w.WriteString("schema"u8, DemandProfile.Schema);
            w.WriteString("store"u8, profile.Store);
            if (profile.Thing is not null)
            {
                w.WriteString("thing"u8, profile.Thing);
            }

            if (profile.Slot is not null)
            {
                w.WriteString("slot"u8, profile.Slot);
            }

            w.WriteString("sku"u8, profile.Sku);
            w.WriteString("generated"u8, WireFormat.Timestamp(profile.Generated));
            w.WriteNumber("weeks"u8, profile.Weeks);
            w.WriteStartArray("picksPerHour"u8);
            foreach (var v in profile.PicksPerHour)
            {
                w.WriteNumberValue(Math.Round(v, 4));
            }

            w.WriteEndArray();
        });
    }
}

using System.Text.Json;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Contract;

/// <summary>Pure encoder of <c>shelf.forecast.v1</c> (docs/forecast.schema.json, docs/data-contract.md).</summary>
public static class ForecastMessageEncoder
{
    /// <summary>Schema name of forecasts.</summary>
    public const string Schema = "shelf.forecast.v1";

    /// <summary><c>{"schema":"shelf.forecast.v1","thing","store","ts","horizonMinutes","slots":[…]}</c>.</summary>
    public static byte[] Encode(TelemetryEnvelope envelope, StockForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(forecast);
        return StockMessageEncoder.Write(writer =>
        {
            writer.WriteString("schema"u8, Schema);
            writer.WriteString("thing"u8, envelope.ThingName);
            writer.WriteString("store"u8, envelope.StoreId);
            writer.WriteString("ts"u8, WireFormat.Timestamp(forecast.Timestamp));
            writer.WriteNumber("horizonMinutes"u8, forecast.HorizonMinutes);
            writer.WriteStartArray("slots"u8);
            foreach (var s in forecast.Slots)
            {
                writer.WriteStartObject();
                writer.WriteString("slot"u8, s.Slot);
                writer.WriteString("sku"u8, s.Sku);
                WriteNullable(writer, "count"u8, s.Count);
                writer.WriteNumber("ratePerHour"u8, Math.Round(s.RatePerHour, 3));
                if (s.ExpectedEmpty is { } empty)
                {
                    writer.WriteString("expectedEmpty"u8, WireFormat.Timestamp(empty));
                }
                else
                {
                    writer.WriteNull("expectedEmpty"u8);
                }

                if (s.ProbEmpty is { } p)
                {
                    writer.WriteNumber("probEmpty"u8, Math.Round(p, 4));
                }
                else
                {
                    writer.WriteNull("probEmpty"u8);
                }

                writer.WriteString("profile"u8, Profile(s.Profile, s.ProfileRelease));
                if (s.NextRefill is { } refill)
                {
                    writer.WriteString("nextRefill"u8, WireFormat.Timestamp(refill));
                }
                else
                {
                    writer.WriteNull("nextRefill"u8);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>cloud | device | none.</summary>
    public static string Profile(ProfileSource source) => source switch
    {
        ProfileSource.Cloud => "cloud",
        ProfileSource.Device => "device",
        _ => "none",
    };

    /// <summary>
    /// As <see cref="Profile(ProfileSource)"/>, but a cloud profile that came with a profile release says which:
    /// <c>cloud:&lt;release&gt;</c> (docs/data-contract.md; a profile from the file or the shadow stays <c>cloud</c>).
    /// </summary>
    public static string Profile(ProfileSource source, string? release)
        => source == ProfileSource.Cloud && !string.IsNullOrEmpty(release) ? "cloud:" + release : Profile(source);

    private static void WriteNullable(Utf8JsonWriter writer, ReadOnlySpan<byte> name, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}

using System.Text;
using ShelfAgent.Contract;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;
using ShelfAgent.Tests.Stock.Forecasting;

namespace ShelfAgent.Tests.Contract;

public sealed class ForecastMessageEncoderTests
{
    private static readonly TelemetryEnvelope Envelope = new("shelf-0042-01", "store-0042");
    private static readonly DateTimeOffset Ts = new(2026, 11, 22, 5, 15, 0, TimeSpan.Zero);

    [Fact]
    public void Encodes_a_forecast_exactly_as_the_contract_example()
    {
        var forecast = new StockForecast(
            Ts, 60, [new SlotForecast("A1", "COLA-355", 9, 4.2, new DateTimeOffset(2026, 11, 22, 7, 20, 0, TimeSpan.Zero), 0.12, ProfileSource.Cloud)
            {
                NextRefill = new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero),
            }]);

        var json = Encoding.UTF8.GetString(ForecastMessageEncoder.Encode(Envelope, forecast));

        Assert.Equal(
            """{"schema":"shelf.forecast.v1","thing":"shelf-0042-01","store":"store-0042","ts":"2026-11-22T05:15:00.000Z","horizonMinutes":60,"slots":[""" +
            """{"slot":"A1","sku":"COLA-355","count":9,"ratePerHour":4.2,"expectedEmpty":"2026-11-22T07:20:00.000Z","probEmpty":0.12,"profile":"cloud",""" +
            "\"nextRefill\":\"2026-11-22T09:30:00.000Z\"}]}",
            json);
    }

    [Fact]
    public async Task A_slot_on_a_profile_release_says_cloud_and_the_release_and_validates()
    {
        var forecast = new StockForecast(
            Ts, 60, [
                new SlotForecast("A1", "COLA-355", 9, 4.2, null, 0.12, ProfileSource.Cloud) { ProfileRelease = "r-20261207-1" },
                new SlotForecast("A2", "COLA-355", 9, 4.2, null, 0.12, ProfileSource.Cloud),
                new SlotForecast("A3", "COLA-355", 9, 4.2, null, 0.12, ProfileSource.Device) { ProfileRelease = "r-20261207-1" },
            ]);

        var json = Encoding.UTF8.GetString(ForecastMessageEncoder.Encode(Envelope, forecast));

        Assert.Contains("\"slot\":\"A1\",\"sku\":\"COLA-355\",\"count\":9,\"ratePerHour\":4.2,\"expectedEmpty\":null,\"probEmpty\":0.12," +
            "\"profile\":\"cloud:r-20261207-1\"", json, StringComparison.Ordinal);
        Assert.Contains("\"slot\":\"A2\",\"sku\":\"COLA-355\",\"count\":9,\"ratePerHour\":4.2,\"expectedEmpty\":null,\"probEmpty\":0.12," +
            "\"profile\":\"cloud\"", json, StringComparison.Ordinal);
        Assert.Contains("\"profile\":\"device\"", json, StringComparison.Ordinal);
        Assert.Null(await JsonSchemaValidator.ValidateAsync("forecast.schema.json", [json]));
        var empty = json.Replace("cloud:r-20261207-1", "cloud:", StringComparison.Ordinal);
        Assert.NotNull(await JsonSchemaValidator.ValidateAsync("forecast.schema.json", [empty]));
    }

    [Fact]
    public void Encodes_a_predicted_empty_alert_with_its_fields()
    {
        var alert = new StockAlert(Ts, "A1", "COLA-355", StockAlertType.PredictedEmpty, 5)
        {
            ExpectedEmpty = Ts.AddMinutes(25),
            Probability = 0.91234,
            RatePerHour = 11.5,
            HorizonMinutes = 60,
        };

        var json = Encoding.UTF8.GetString(StockMessageEncoder.Encode(Envelope, alert));

        Assert.Equal(
            """{"schema":"shelf.alert.v1","thing":"shelf-0042-01","store":"store-0042","ts":"2026-11-22T""" +
            """05:15:00.000Z","slot":"A1","sku":"COLA-355","type":"predicted-empty","count":5,"expectedEmpty":"2026-11-22T""" +
            """05:40:00.000Z","probability":0.9123,"ratePerHour":11.5,"horizonMinutes":60}""",
            json);
    }

    [Fact]
    public async Task Forecasts_alerts_and_profiles_from_a_trace_validate_against_their_schemas()
    {
        // A real trace: depletion, a fault, a restock, so every shape of message appears.
        var trace = new ForecastTraces(ForecastTraces.Monday.AddHours(9), [ForecastTraces.Profile(12)]);
        trace.Deplete(24, 3, TimeSpan.FromMinutes(5));
        trace.Hold(null, TimeSpan.FromMinutes(5));
        trace.Hold(24, TimeSpan.FromMinutes(20));
        var alerts = trace.Messages.OfType<StockAlert>().Select(a => Encoding.UTF8.GetString(StockMessageEncoder.Encode(Envelope, a))).ToList();
        var forecasts = trace.Forecasts.Select(f => Encoding.UTF8.GetString(ForecastMessageEncoder.Encode(Envelope, f))).ToList();
        forecasts.Add(Encoding.UTF8.GetString(ForecastMessageEncoder.Encode(
            Envelope, new StockForecast(Ts, 60, [new SlotForecast("A1", "COLA-355", null, 0, null, null, ProfileSource.None)]))));
        var profiles = new[]
        {
            ForecastTraces.Profile(3.25),
            new DemandProfile("store-0042", null, null, "COLA-355", Ts, 0, new double[168]),
        }.Select(p => Encoding.UTF8.GetString(DemandProfileEncoder.Encode(p)));

        Assert.Contains(alerts, a => a.Contains("\"predicted-empty\"", StringComparison.Ordinal));
        Assert.Contains(alerts, a => a.Contains("\"predicted-empty-cleared\"", StringComparison.Ordinal));
        Assert.Null(await JsonSchemaValidator.ValidateAsync("alert.schema.json", alerts));
        Assert.Null(await JsonSchemaValidator.ValidateAsync("forecast.schema.json", forecasts));
        Assert.Null(await JsonSchemaValidator.ValidateAsync("profile.schema.json", profiles));
    }

    [Fact]
    public async Task The_alert_schema_rejects_a_predicted_empty_without_its_fields()
    {
        var bad = """{"schema":"shelf.alert.v1","thing":"t","store":"s","ts":"2026-11-22T""" +
            """05:15:00.000Z","slot":"A1","sku":"X","type":"predicted-empty","count":3}""";
        var badClear = """{"schema":"shelf.alert.v1","thing":"t","store":"s","ts":"2026-11-22T""" +
            """05:15:00.000Z","slot":"A1","sku":"X","type":"predicted-empty-cleared","count":3,"reason":"because"}""";

        Assert.NotNull(await JsonSchemaValidator.ValidateAsync("alert.schema.json", [bad]));
        Assert.NotNull(await JsonSchemaValidator.ValidateAsync("alert.schema.json", [badClear]));
    }

    [Fact]
    public void Profiles_round_trip_through_the_parser_as_lines_or_an_array()
    {
        var p = ForecastTraces.Profile(1.5, (12, 30));
        var line = Encoding.UTF8.GetString(DemandProfileEncoder.Encode(p));

        var (lines, problems) = DemandProfileParser.Parse(line + "\n\nnot json\n");
        var (array, none) = DemandProfileParser.Parse("[" + line + "," + line + "]");

        Assert.Equal(30, Assert.Single(lines).PicksPerHour[12]);
        Assert.Equal("line 3", Assert.Single(problems)[..6]);
        Assert.Equal(2, array.Count);
        Assert.Empty(none);
        Assert.InRange(line.Length, 1, 8 * 1024);
    }
}

using System.Text;
using ShelfAgent.Contract;
using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Contract;

public sealed class StockMessageEncoderTests
{
    private static readonly TelemetryEnvelope Envelope = new("shelf-0042-01", "store-0042");
    private static readonly DateTimeOffset Ts = new(2026, 11, 22, 5, 20, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Encodes_a_pick_event_exactly()
    {
        var json = Encoding.UTF8.GetString(StockMessageEncoder.Encode(Envelope, new StockEvent(Ts, "A1", "COLA-355", StockEventType.Pick, -2, 9)));

        Assert.Equal(
            """{"schema":"shelf.event.v1","thing":"shelf-0042-01","store":"store-0042","ts":"2026-11-22T""" +
            """05:20:00.123Z","slot":"A1","sku":"COLA-355","type":"pick","delta":-2,"count":9}""",
            json);
    }

    [Fact]
    public async Task Events_and_alerts_validate_against_their_schemas()
    {
        var events = new[]
        {
            new StockEvent(Ts, "A1", "COLA-355", StockEventType.Pick, -1, 11),
            new StockEvent(Ts, "A1", "COLA-355", StockEventType.Restock, 13, 24),
        }.Select(e => Encoding.UTF8.GetString(StockMessageEncoder.Encode(Envelope, e)));
        var alerts = new[]
        {
            new StockAlert(Ts, "A1", "COLA-355", StockAlertType.Low, 4),
            new StockAlert(Ts, "A1", "COLA-355", StockAlertType.Empty, 0),
            new StockAlert(Ts, "B3", "ENERGY-250", StockAlertType.Fault, null, "bus: no device answered at 0x2A on bus 1"),
            new StockAlert(Ts, "B3", "ENERGY-250", StockAlertType.Recovered, 7),
        }.Select(a => Encoding.UTF8.GetString(StockMessageEncoder.Encode(Envelope, a)));

        Assert.Null(await JsonSchemaValidator.ValidateAsync("event.schema.json", events));
        Assert.Null(await JsonSchemaValidator.ValidateAsync("alert.schema.json", alerts));
    }
}

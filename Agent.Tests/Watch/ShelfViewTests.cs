using System.Text;
using ShelfAgent.Outbox;
using ShelfAgent.Contract;
using ShelfAgent.Stock;
using ShelfAgent.Watch;

namespace ShelfAgent.Tests.Watch;

public sealed class ShelfViewTests
{
    private const string Prefix = "dt/shelf/store-0042/demo-shelf-01/";
    private static readonly TelemetryEnvelope Envelope = new("demo-shelf-01", "store-0042");
    private static readonly DateTimeOffset T = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static StoredReading[] Readings() =>
    [
        new(1, new Reading(T, "A1", "COLA-355", 4416, 12, StockStatus.Ok)),
        new(2, new Reading(T, "B3", "ENERGY-250", null, null, StockStatus.Fault, "timeout: not ready")),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Telemetry_of_either_schema_fills_one_row_per_slot_with_count_and_status(bool v2)
    {
        var view = new ShelfView();
        var payload = v2 ? TelemetryV2Encoder.Encode(Envelope, T, Readings()) : TelemetryV1Encoder.Encode(Envelope, T, Readings());

        var printed = view.ApplyLine(Prefix + "telemetry " + Encoding.UTF8.GetString(payload));

        Assert.Empty(printed);
        var table = view.RenderTable().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, table.Length);
        Assert.Matches(@"^A1\s+COLA-355\s+12\s+4416\s+ok\s", table[1]);
        Assert.Matches(@"^B3\s+ENERGY-250\s+-\s+-\s+fault \(timeout: not ready\)", table[2]);
    }

    [Fact]
    public void Events_and_alerts_are_lines_and_update_the_row()
    {
        var view = new ShelfView();
        var pick = StockMessageEncoder.Encode(Envelope, new StockEvent(T, "C1", "GUM-MINT-10", StockEventType.Pick, -3, 2));
        var low = StockMessageEncoder.Encode(Envelope, new StockAlert(T, "C1", "GUM-MINT-10", StockAlertType.Low, 2));

        var lines = view.ApplyLine(Prefix + "events " + Encoding.UTF8.GetString(pick)).Concat(view.ApplyLine(Prefix + "alerts " + Encoding.UTF8.GetString(low))).ToList();

        Assert.Matches(@"^\d\d:\d\d:\d\d  event  C1 GUM-MINT-10: pick -3 → 2$", lines[0]);
        Assert.Matches(@"^\d\d:\d\d:\d\d  ALERT  C1 GUM-MINT-10: low \(count 2\)$", lines[1]);
        Assert.Contains("ALERT low", view.RenderTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_type_it_does_not_know_is_shown_with_its_fields()
    {
        var view = new ShelfView();

        var line = Assert.Single(view.ApplyLine(Prefix + """alerts {"schema":"shelf.alert.v1","ts":"2026-12-01T12:00:00Z","slot":"A1","sku":"COLA-355","type":"predicted-empty","count":5,"emptyAt":"2026-12-01T14:30:00Z","confidence":0.8}"""));

        Assert.EndsWith("ALERT  A1 COLA-355: predicted-empty (count 5, emptyAt 2026-12-01T14:30:00Z, confidence 0.8)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_topics_are_counted_and_not_shown_and_a_bad_payload_is_one_line()
    {
        var view = new ShelfView();

        Assert.Empty(view.ApplyLine(Prefix + """forecast {"schema":"shelf.forecast.v1","slots":[]}"""));
        Assert.Empty(view.ApplyLine("""$SYS/broker/uptime 12 seconds"""));
        var bad = Assert.Single(view.ApplyLine(Prefix + "telemetry {not json"));

        Assert.Equal(2, view.Ignored);
        Assert.Contains("cannot read a message on " + Prefix + "telemetry", bad, StringComparison.Ordinal);
    }

    [Fact]
    public void The_last_will_reads_as_the_agent_vanishing()
    {
        var line = Assert.Single(new ShelfView().ApplyLine(Prefix + """status {"online":false}"""));

        Assert.Contains("demo-shelf-01 OFFLINE", line, StringComparison.Ordinal);
    }
}

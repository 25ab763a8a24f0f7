using System.Text;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Contract;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;
using ShelfAgent.Watch;

namespace ShelfAgent.Tests.Watch;

public sealed class ShelfViewTests
{
    private const string Prefix = "dt/shelf/store-0042/demo-shelf-01/";
    private static readonly TelemetryEnvelope Envelope = new("demo-shelf-01", "store-0042");
    private static readonly DateTimeOffset T = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    // A viewer five and a half hours east of UTC, so a time left in UTC shows.
    private static FakeTimeProvider Clock()
    {
        var clock = new FakeTimeProvider(T.AddSeconds(10));
        clock.SetLocalTimeZone(TimeZoneInfo.CreateCustomTimeZone("viewer+0530", TimeSpan.FromMinutes(330), "viewer", "viewer"));
        return clock;
    }

    private static string Telemetry(bool v2, params (int Second, string Slot, double? Grams, int? Count)[] readings)
    {
        var stored = readings.Select((r, i) => new StoredReading(i + 1, new Reading(
            T.AddSeconds(r.Second), r.Slot, r.Slot == "A1" ? "COLA-355" : "ENERGY-250", r.Grams, r.Count,
            r.Count is null ? StockStatus.Fault : r.Count <= 4 ? StockStatus.Low : StockStatus.Ok, r.Count is null ? "timeout: not ready" : null))).ToArray();
        var payload = v2 ? TelemetryV2Encoder.Encode(Envelope, T, stored) : TelemetryV1Encoder.Encode(Envelope, T, stored);
        return Prefix + "telemetry " + Encoding.UTF8.GetString(payload);
    }

    private static string Message(string topic, IStockMessage message)
        => Prefix + topic + " " + Encoding.UTF8.GetString(StockMessagePayload.Encode(Envelope, message));

    private static string[] Row(ShelfView view, string slot) => view.Rows().Single(r => r[0] == slot);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Telemetry_of_either_schema_fills_a_row_per_slot_once_its_count_has_settled(bool v2)
    {
        var view = new ShelfView(Clock());

        var printed = view.ApplyLine(Telemetry(v2, (0, "A1", 4566, 12), (0, "B3", null, null), (1, "A1", 4567, 12), (2, "A1", 4566, 12)));

        Assert.Empty(printed);
        Assert.Equal(["A1", "COLA-355", "12", "4566", "ok", "", "17:30:02"], Row(view, "A1"));
        Assert.Equal(["B3", "ENERGY-250", "-", "-", "fault (timeout: not ready)", "", "17:30:00"], Row(view, "B3"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Status_says_sending_backlog_only_when_a_reading_was_older_than_the_live_window_when_sent(bool v2)
    {
        // Live batches are v2 by default since issue 21: the schema no longer tells live from backlog, the readings' age does.
        var view = new ShelfView(Clock());

        view.ApplyLine(Telemetry(v2, (0, "A1", 4566, 12), (1, "A1", 4566, 12)));
        Assert.DoesNotContain("sending backlog", Assert.Single(view.StatusLines()), StringComparison.Ordinal);

        view.ApplyLine(Telemetry(v2, (-120, "A1", 4566, 12), (1, "A1", 4566, 12)));
        Assert.Contains("sending backlog", Assert.Single(view.StatusLines()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_count_is_the_settled_one_the_events_use_not_a_single_readings()
    {
        var view = new ShelfView(Clock());
        view.ApplyLine(Telemetry(false, (0, "A1", 4566, 12), (1, "A1", 4566, 12), (2, "A1", 4566, 12)));

        view.ApplyLine(Telemetry(false, (3, "A1", 4100, 11))); // a hand on the shelf, or a pick not settled yet
        var whileUnsettled = Row(view, "A1")[2];
        view.ApplyLine(Message("events", new StockEvent(T.AddSeconds(5), "A1", "COLA-355", StockEventType.Pick, -1, 11)));
        var afterTheEvent = Row(view, "A1")[2];
        view.ApplyLine(Telemetry(false, (4, "A1", 4198, 11), (5, "A1", 4198, 11)));

        Assert.Equal("12", whileUnsettled);
        Assert.Equal("11", afterTheEvent);
        Assert.Equal("11", Row(view, "A1")[2]);
        Assert.Equal("pick -1 → 11", Row(view, "A1")[5]);
    }

    [Fact]
    public void Grams_are_net_of_the_tray_when_the_devices_slots_are_known_and_say_gross_otherwise()
    {
        var slots = new[] { new SlotOptions { Id = "A1", Sku = "COLA-355", UnitGrams = 368, TareGrams = 150, Capacity = 24, LowStockAt = 4 } };
        var net = new ShelfView(Clock(), "demo-shelf-01", slots);
        var gross = new ShelfView(Clock());

        foreach (var view in new[] { net, gross })
        {
            view.ApplyLine(Telemetry(false, (0, "A1", 4566, 12)));
        }

        Assert.Equal("NET G", net.Headings[3]);
        Assert.Equal("4416", Row(net, "A1")[3]);
        Assert.Contains("TareGrams", net.Legend, StringComparison.Ordinal);
        Assert.Equal("GROSS G", gross.Headings[3]);
        Assert.Equal("4566", Row(gross, "A1")[3]);
        Assert.Contains("tray included", gross.Legend, StringComparison.Ordinal);
    }

    [Fact]
    public void Events_and_alerts_are_lines_in_local_time_and_update_the_row()
    {
        var view = new ShelfView(Clock());

        var lines = view.ApplyLine(Message("events", new StockEvent(T, "C1", "GUM-MINT-10", StockEventType.Pick, -3, 2)))
            .Concat(view.ApplyLine(Message("alerts", new StockAlert(T, "C1", "GUM-MINT-10", StockAlertType.Low, 2)))).ToList();

        Assert.Equal("17:30:00  event  C1 GUM-MINT-10: pick -3 → 2", lines[0]);
        Assert.Equal("17:30:00  ALERT  C1 GUM-MINT-10: low (count 2)", lines[1]);
        Assert.Equal(["C1", "GUM-MINT-10", "2", "-", "low", "ALERT low", ""], Row(view, "C1"));
    }

    [Fact]
    public void A_predicted_empty_alert_reads_in_words_and_local_time()
    {
        var view = new ShelfView(Clock());

        var line = Assert.Single(view.ApplyLine(
            Prefix + """alerts {"schema":"shelf.alert.v1","ts":"2026-12-01T12:00:00.000Z","slot":"A1","sku":"COLA-355","type":"predicted-empty","count":""" +
            """5,"expectedEmpty":"2026-12-01T12:40:00.000Z","probability":0.9123,"ratePerHour":11.5,"horizonMinutes":60}"""));

        Assert.Equal(
            "17:30:00  ALERT  A1 COLA-355: predicted-empty (count 5, empty expected 18:10 (in 40 min), probability 91%, 11.5 picks/h, horizon 60 min)",
            line);
        Assert.DoesNotContain("Z", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alert_type_it_does_not_know_is_shown_with_its_fields_times_in_local_time()
    {
        var view = new ShelfView(Clock());

        var line = Assert.Single(view.ApplyLine(
            Prefix + """alerts {"schema":"shelf.alert.v1","ts":"2026-12-01T12:00:00Z","slot":"A1","sku":"COLA-355","type":"shelf-tilted","count":""" +
            """5,"since":"2026-12-01T11:00:00Z","angle":12.5}"""));

        Assert.EndsWith("ALERT  A1 COLA-355: shelf-tilted (count 5, since 16:30 (60 min ago), angle 12.5)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_topics_are_counted_and_not_shown_and_a_bad_payload_is_one_line()
    {
        var view = new ShelfView(Clock());

        Assert.Empty(view.ApplyLine(Prefix + """forecast {"schema":"shelf.forecast.v1","slots":[]}"""));
        Assert.Empty(view.ApplyLine("""$SYS/broker/uptime 12 seconds"""));
        var bad = Assert.Single(view.ApplyLine(Prefix + "telemetry {not json"));

        Assert.Equal(2, view.Ignored);
        Assert.Contains("cannot read a message on " + Prefix + "telemetry", bad, StringComparison.Ordinal);
    }

    [Fact]
    public void The_last_will_reads_as_the_agent_vanishing_and_the_status_line_says_offline()
    {
        var view = new ShelfView(Clock());

        var line = Assert.Single(view.ApplyLine(Prefix + """status {"online":false}"""));

        Assert.Contains("demo-shelf-01 OFFLINE", line, StringComparison.Ordinal);
        Assert.StartsWith(
            "demo-shelf-01: OFFLINE since 17:30:10 (the broker published the agent's last will",
            Assert.Single(view.StatusLines()),
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_status_line_tells_the_connection_the_telemetry_and_that_the_buffer_is_not_known()
    {
        var clock = Clock();
        var view = new ShelfView(clock);
        view.ApplyLine(Prefix + """status {"online":true,"ts":"2026-12-01T12:00:05.000Z","version":"1.2.3"}""");
        view.ApplyLine(Telemetry(false, (0, "A1", 4566, 12)));
        clock.Advance(TimeSpan.FromSeconds(3));

        var status = Assert.Single(view.StatusLines());

        Assert.StartsWith(
            "demo-shelf-01: online since 17:30:05 (shelf-agent 1.2.3) · telemetry 3 s ago · buffer depth not known here",
            status,
            StringComparison.Ordinal);
        Assert.False(view.Devices.Single().NeedsAttention(clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains("no telemetry for 2 min", Assert.Single(view.StatusLines()), StringComparison.Ordinal);
        Assert.True(view.Devices.Single().NeedsAttention(clock.GetUtcNow()));
    }

    [Fact]
    public void The_buffer_depth_comes_from_the_devices_shadow_report()
    {
        var view = new ShelfView(Clock());

        Assert.Empty(view.ApplyLine(
            """$aws/things/demo-shelf-01/shadow/update {"state":{"reported":{"device":{"version":"0.1.0","buffer":{"depth":""" +
            """1234,"oldestAgeSeconds":75,"dropped":0}}}},"clientToken":"t1"}"""));

        Assert.Contains("buffer 1,234 waiting, oldest 75 s, from the shadow report 0 s ago", Assert.Single(view.StatusLines()), StringComparison.Ordinal);
        Assert.Equal(0, view.Ignored);
    }
}

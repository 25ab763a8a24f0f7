using System.Text.Json.Nodes;
using ShelfAgent.Config.Runtime;
using ShelfAgent.IotCore.Shadow;
using ShelfAgent.Stock;

namespace ShelfAgent.Tests.IotCore.Shadow;

public sealed class ShadowReportEncoderTests
{
    private static ShadowReport Report(IReadOnlyList<ConfigKeyResult> refused, int? count = 12) => new(
        new JsonObject { ["Sampling"] = new JsonObject { ["IntervalMs"] = 1000 } },
        "1.2.3",
        "abcdef0123456789",
        refused.Count == 0 ? null : "Publish:IntervalMs: must be from 10 to 3600000",
        refused,
        [new SlotSnapshot("A1", "COLA-355", count, StockStatus.Ok, new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), null)],
        new BufferReport(40, 12, 3),
        new DateTimeOffset(2027, 12, 2, 0, 0, 0, TimeSpan.Zero),
        ClockTrusted: true);

    [Fact]
    public void The_update_request_carries_settings_beside_the_device_section_and_the_client_token()
    {
        var doc = JsonNode.Parse(ShadowReportEncoder.Encode(
            Report([new ConfigKeyResult("Publish:IntervalMs", false, "must be from 10 to 3600000")]), "shadow-1"))!;
        var reported = doc["state"]!["reported"]!;
        Assert.Equal("shadow-1", doc["clientToken"]!.GetValue<string>());
        Assert.Equal(1000, reported["Sampling"]!["IntervalMs"]!.GetValue<int>());
        var device = reported["device"]!;
        Assert.Equal("abcdef0123456789", device["configHash"]!.GetValue<string>());
        Assert.Equal("Publish:IntervalMs", device["configRefused"]![0]!["key"]!.GetValue<string>());
        Assert.Equal("2027-12-02T00:00:00.000Z", device["certificateExpires"]!.GetValue<string>());
        Assert.Equal(12, device["slots"]!["A1"]!["count"]!.GetValue<int>());
        Assert.Equal("ok", device["slots"]!["A1"]!["status"]!.GetValue<string>());
        Assert.Equal(40, device["buffer"]!["depth"]!.GetValue<int>());
    }

    [Fact]
    public void Unknown_values_are_null_so_the_shadow_forgets_the_stale_ones()
    {
        var device = JsonNode.Parse(ShadowReportEncoder.EncodeReported(Report([], count: null)))!["device"]!.AsObject();
        Assert.True(device.ContainsKey("lastConfigError") && device["lastConfigError"] is null);
        Assert.True(device.ContainsKey("configRefused") && device["configRefused"] is null);
        Assert.True(device["slots"]!["A1"]!.AsObject().ContainsKey("count"));
        Assert.Null(device["slots"]!["A1"]!["count"]);
    }

    [Fact]
    public void A_full_disk_is_reported_beside_dropped_and_is_null_when_the_disk_never_ran_full()
    {
        var full = Report([]) with { Buffer = new BufferReport(40, 12, 300, "disk full: 300 readings evicted since 2026-12-07T12:00:05Z") };
        var buffer = JsonNode.Parse(ShadowReportEncoder.EncodeReported(full))!["device"]!["buffer"]!;
        Assert.Equal(300, buffer["dropped"]!.GetValue<long>());
        Assert.Equal("disk full: 300 readings evicted since 2026-12-07T12:00:05Z", buffer["diskFull"]!.GetValue<string>());

        var never = JsonNode.Parse(ShadowReportEncoder.EncodeReported(Report([])))!["device"]!["buffer"]!.AsObject();
        Assert.True(never.ContainsKey("diskFull") && never["diskFull"] is null);
    }

    [Fact]
    public void Restarts_are_reported_with_the_last_cause_and_left_out_when_not_counted()
    {
        var report = Report([]) with { Restarts = new RestartReport(2, 1, "watchdog", new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)) };
        var restarts = JsonNode.Parse(ShadowReportEncoder.EncodeReported(report))!["device"]!["restarts"]!;
        Assert.Equal(2, restarts["watchdog"]!.GetValue<long>());
        Assert.Equal(1, restarts["unclean"]!.GetValue<long>());
        Assert.Equal("watchdog", restarts["last"]!.GetValue<string>());
        Assert.Equal("2026-12-07T12:00:00.000Z", restarts["lastAt"]!.GetValue<string>());
        Assert.False(JsonNode.Parse(ShadowReportEncoder.EncodeReported(Report([])))!["device"]!.AsObject().ContainsKey("restarts"));
    }

    [Fact]
    public void The_profile_release_in_use_is_reported_and_null_when_there_is_none()
    {
        var report = Report([]) with { Profiles = new ProfilesReport("r-20261207-1", 14) };
        var profiles = JsonNode.Parse(ShadowReportEncoder.EncodeReported(report))!["device"]!["profiles"]!;
        Assert.Equal("r-20261207-1", profiles["release"]!.GetValue<string>());
        Assert.Equal(14, profiles["slots"]!.GetValue<int>());

        // null deletes device.profiles from the shadow once a release is withdrawn.
        var none = JsonNode.Parse(ShadowReportEncoder.EncodeReported(Report([])))!["device"]!.AsObject();
        Assert.True(none.ContainsKey("profiles") && none["profiles"] is null);
    }

    [Fact]
    public void A_typical_report_is_small()
        => Assert.InRange(ShadowReportEncoder.EncodeReported(Report([])).Length, 100, 1024);
}

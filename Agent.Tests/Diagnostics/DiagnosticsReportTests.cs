using System.Text;
using ShelfAgent.Diagnostics;
using ShelfAgent.IotCore.Jobs;

namespace ShelfAgent.Tests.Diagnostics;

public sealed class DiagnosticsReportTests
{
    private static readonly CheckResult[] Findings =
    [
        new("config", CheckStatus.Ok, "/etc/shelf-agent/agent.json"),
        new("clock", CheckStatus.Fail, "the system clock says 2019-01-01"),
        new("device certificate", CheckStatus.Warn, "renew it soon"),
        new("broker", CheckStatus.Fail, "no answer"),
    ];

    [Fact]
    public void The_summary_puts_the_exit_code_and_failures_first_and_the_newest_log_line_before_older_ones()
    {
        var summary = DiagnosticsReport.Summary(Findings, ["old line", "new line"], "bucket: HTTP 200");

        Assert.Equal(new("exitCode", "69"), summary[0]);
        Assert.Equal(new("failed", "clock, broker"), summary[1]);
        Assert.Equal(new("upload", "bucket: HTTP 200"), summary[2]);
        Assert.Equal("clock", summary[3].Key);
        Assert.StartsWith("FAIL ", summary[3].Value, StringComparison.Ordinal);
        Assert.Equal(new("device-certificate", "warn renew it soon"), summary[5]);
        Assert.Equal(new("log1", "new line"), summary[6]);
    }

    [Fact]
    public void A_long_summary_still_fits_status_details()
    {
        var many = Enumerable.Range(0, 30).Select(i => new CheckResult($"check {i}", CheckStatus.Fail, new string('d', 400))).ToList();

        var limited = StatusDetails.Limit(DiagnosticsReport.Summary(many, [.. Enumerable.Repeat("line", 50)], null));

        Assert.Equal(10, limited.Count);
        Assert.Equal("exitCode", limited[0].Key);
    }

    [Fact]
    public async Task The_full_report_matches_its_schema()
    {
        var report = DiagnosticsReport.Encode("shelf-1", DateTimeOffset.UnixEpoch.AddYears(56), Findings, ["2026-12-02T04:00:00Z WRN x: y"]);

        Assert.Null(await JsonSchemaValidator.ValidateAsync("diagnostics-report.schema.json", [Encoding.UTF8.GetString(report)]));
    }
}

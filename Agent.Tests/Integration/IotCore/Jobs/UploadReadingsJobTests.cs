using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.Outbox;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore.Jobs;

/// <summary>The real agent runs <c>upload-readings</c> from the local AWS IoT Core's Jobs API to a local HTTPS server (issue 21).</summary>
public sealed class UploadReadingsJobTests(ITestOutputHelper output)
{
    private static async Task<int> RawCountAsync(string buffer, DateTimeOffset from, DateTimeOffset to)
    {
        var n = 0;
        await foreach (var _ in SqliteOutbox.ExportRawAsync(buffer, [], from, to, CancellationToken.None))
        {
            n++;
        }

        return n;
    }

    [Fact]
    public async Task Upload_readings_puts_the_raw_grams_of_the_window_to_the_pre_signed_url()
    {
        await using var env = await IntegrationEnvironment.StartAsync(new() { IotCore = new() }, output);
        var device = await JobsDevice.CreateAsync(env, "shelf-raw-01");
        await using var upload = new HttpsPutListener();
        var agent = device.StartAgent(new Dictionary<string, string> { ["SSL_CERT_FILE"] = upload.CaFile });
        var from = DateTimeOffset.UtcNow.AddMinutes(-5);
        var to = DateTimeOffset.UtcNow.AddHours(1);
        await Eventually.UntilAsync(async () => File.Exists(device.Device.Outbox) && await RawCountAsync(device.Device.Outbox, from, to) >= 3,
            TimeSpan.FromSeconds(60), "the agent kept raw samples");

        var url = upload.Url("/raw/shelf-raw-01.ndjson?X-Amz-Signature=s3cr3t");
        await device.CreateJobAsync(
            "job-raw", $$"""{"operation":"upload-readings","uploadUrl":"{{url}}","from":"{{from:O}}","to":"{{to:O}}","slots":["S1"]}""");
        var done = await device.WaitForEndAsync("job-raw", agent);

        Assert.Equal(JobExecutionStatus.Succeeded, done.Status);
        Assert.Equal("127.0.0.1: HTTP 200", done.StatusDetails["upload"]);
        var put = Assert.Single(upload.Requests);
        Assert.Equal(("PUT", "/raw/shelf-raw-01.ndjson?X-Amz-Signature=s3cr3t", "application/x-ndjson"), (put.Method, put.PathAndQuery, put.ContentType));
        var lines = put.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var head = JsonNode.Parse(lines[0])!;
        Assert.Equal(("shelf.raw-readings.v1", "shelf-raw-01"), (head["schema"]!.GetValue<string>(), head["thing"]!.GetValue<string>()));
        Assert.Equal(lines.Length - 1, head["readings"]!.GetValue<int>());
        Assert.Equal(done.StatusDetails["readings"], (lines.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(lines.Length > 3);
        Assert.All(lines.Skip(1).Select(l => JsonNode.Parse(l)!), r => Assert.Equal("S1", r["slot"]!.GetValue<string>()));
        Assert.DoesNotContain("s3cr3t", agent.Output, StringComparison.Ordinal);
    }
}

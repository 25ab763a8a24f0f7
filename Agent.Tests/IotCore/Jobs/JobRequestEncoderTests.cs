using System.Text;
using System.Text.Json;
using ShelfAgent.IotCore.Jobs;

namespace ShelfAgent.Tests.IotCore.Jobs;

public sealed class JobRequestEncoderTests
{
    [Fact]
    public void An_update_carries_status_limited_details_execution_number_and_token()
    {
        var details = Enumerable.Range(1, 12).Select(i => new KeyValuePair<string, string>($"key {i}", new string('v', 200)));

        using var json = JsonDocument.Parse(JobRequestEncoder.Update(JobStatus.Succeeded, details, 3, "tok-1"));
        var root = json.RootElement;

        Assert.Equal("SUCCEEDED", root.GetProperty("status").GetString());
        Assert.Equal(3, root.GetProperty("executionNumber").GetInt64());
        Assert.Equal("tok-1", root.GetProperty("clientToken").GetString());
        var map = root.GetProperty("statusDetails").EnumerateObject().ToList();
        Assert.Equal(10, map.Count);
        Assert.All(map, p => Assert.True(p.Value.GetString()!.Length <= 128));
        Assert.Equal("key_1", map[0].Name);
        Assert.False(root.TryGetProperty("expectedVersion", out _));
    }

    [Theory]
    [InlineData(JobStatus.Queued)]
    [InlineData(JobStatus.Canceled)]
    [InlineData(JobStatus.TimedOut)]
    public void A_status_only_the_service_sets_is_refused(JobStatus status)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JobRequestEncoder.Update(status, [], 1, "t"));
    }

    [Fact]
    public void A_start_next_without_details_is_just_the_token()
    {
        Assert.Equal("""{"clientToken":"t"}""", Encoding.UTF8.GetString(JobRequestEncoder.StartNext("t", [])));
    }
}

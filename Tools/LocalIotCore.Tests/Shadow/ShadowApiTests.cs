using System.Text;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.LocalIot.Shadow;

namespace ShelfAgent.LocalIot.Tests.Shadow;

/// <summary>The fixture's shadow rules against the developer guide's "Device Shadow service documents" examples, without a broker.</summary>
public sealed class ShadowApiTests
{
    private const string Update = "$aws/things/t1/shadow/update";
    private readonly ShadowApi _api = new(new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));

    [Fact]
    public void Update_publishes_accepted_documents_and_a_delta_of_only_the_differing_desired_keys()
    {
        Send("""{"state":{"reported":{"color":"red","size":1}}}""");
        var replies = Send("""{"state":{"desired":{"color":"green","size":1}},"clientToken":"abc"}""");

        Assert.Equal([Update + "/accepted", Update + "/documents", Update + "/delta"], replies.Select(r => r.Topic));
        var delta = replies[2].Payload;
        Assert.Equal("""{"color":"green"}""", delta["state"]!.ToJsonString());
        Assert.Equal(2, delta["version"]!.GetValue<long>());
        Assert.Equal("abc", replies[0].Payload["clientToken"]!.GetValue<string>());
        Assert.Equal(1, replies[1].Payload["previous"]!["version"]!.GetValue<long>());
        Assert.Equal(2, replies[1].Payload["current"]!["version"]!.GetValue<long>());
    }

    [Fact]
    public void Reported_only_update_publishes_no_delta_and_get_shows_what_is_left()
    {
        Send("""{"state":{"desired":{"color":"green","size":2}}}""");
        var replies = Send("""{"state":{"reported":{"color":"green"}}}""");
        Assert.DoesNotContain(replies, r => r.Topic.EndsWith("/delta", StringComparison.Ordinal));

        var get = _api.Handle("$aws/things/t1/shadow/get", "{}"u8);
        Assert.Equal("$aws/things/t1/shadow/get/accepted", get.Single().Topic);
        Assert.Equal("""{"size":2}""", get.Single().Payload["state"]!["delta"]!.ToJsonString());
    }

    [Fact]
    public void Stale_version_is_rejected_with_409_and_the_shadow_is_unchanged()
    {
        Send("""{"state":{"reported":{"a":1}}}""");
        Send("""{"state":{"reported":{"a":2}}}""");
        var rejected = Send("""{"state":{"reported":{"a":3}},"version":1,"clientToken":"t"}""").Single();
        Assert.Equal(Update + "/rejected", rejected.Topic);
        Assert.Equal(409, rejected.Payload["code"]!.GetValue<int>());
        Assert.Equal("Version conflict", rejected.Payload["message"]!.GetValue<string>());
        Assert.Equal("t", rejected.Payload["clientToken"]!.GetValue<string>());
        Assert.Equal(2, _api.Document("t1")!["state"]!["reported"]!["a"]!.GetValue<int>());

        Assert.Equal(Update + "/accepted", Send("""{"state":{"reported":{"a":3}},"version":2}""")[0].Topic);
    }

    [Fact]
    public void Null_removes_a_key_and_a_null_section_removes_the_section()
    {
        Send("""{"state":{"desired":{"a":1,"b":{"c":1,"d":2}},"reported":{"x":1}}}""");
        Send("""{"state":{"desired":{"a":null,"b":{"c":null}}}}""");
        Assert.Equal("""{"b":{"d":2}}""", _api.Document("t1")!["state"]!["desired"]!.ToJsonString());
        Send("""{"state":{"desired":null}}""");
        Assert.Null(_api.Document("t1")!["state"]!["desired"]);
        Assert.NotNull(_api.Document("t1")!["state"]!["reported"]);
    }

    [Fact]
    public void State_above_8_KB_is_rejected_with_413()
    {
        var big = new string('x', ShadowApi.MaxStateBytes);
        var rejected = Send("{\"state\":{\"reported\":{\"blob\":\"" + big + "\"}}}").Single();
        Assert.Equal(413, rejected.Payload["code"]!.GetValue<int>());
        Assert.Null(_api.Document("t1"));
    }

    [Fact]
    public void Nesting_deeper_than_5_levels_is_rejected_with_400()
    {
        Assert.Equal(Update + "/accepted", Send("""{"state":{"reported":{"a":{"b":{"c":{"d":{"e":1}}}}}}}""")[0].Topic);
        var rejected = Send("""{"state":{"reported":{"a":{"b":{"c":{"d":{"e":{"f":1}}}}}}}}""").Single();
        Assert.Equal(400, rejected.Payload["code"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("not json", "Invalid JSON")]
    [InlineData("""{"clientToken":"x"}""", "Missing required node: state")]
    [InlineData("""{"state":1}""", "State node must be an object")]
    [InlineData("""{"state":{"desired":1}}""", "Desired node must be an object")]
    [InlineData("""{"state":{"other":{}}}""", "State contains an invalid node")]
    [InlineData("""{"state":{"reported":{}},"version":"x"}""", "Invalid version")]
    public void Malformed_update_is_rejected_with_400_and_the_documented_message(string payload, string message)
    {
        var rejected = Send(payload).Single();
        Assert.Equal(400, rejected.Payload["code"]!.GetValue<int>());
        Assert.Equal(message, rejected.Payload["message"]!.GetValue<string>());
    }

    [Fact]
    public void Client_token_longer_than_64_bytes_is_rejected()
    {
        var rejected = Send("{\"state\":{\"reported\":{}},\"clientToken\":\"" + new string('t', 65) + "\"}").Single();
        Assert.Equal("Invalid clientToken", rejected.Payload["message"]!.GetValue<string>());
    }

    [Fact]
    public void Get_of_a_thing_without_shadow_is_rejected_with_404()
    {
        var rejected = _api.Handle("$aws/things/none/shadow/get", "{}"u8).Single();
        Assert.Equal("$aws/things/none/shadow/get/rejected", rejected.Topic);
        Assert.Equal(404, rejected.Payload["code"]!.GetValue<int>());
    }

    private IReadOnlyList<IotReply> Send(string payload) => _api.Handle(Update, Encoding.UTF8.GetBytes(payload));
}

using System.Text.Json;
using System.Text.Json.Nodes;
using ShelfAgent.IotCore;
using ShelfAgent.IotCore.Provisioning;

namespace ShelfAgent.Tests.IotCore.Provisioning;

public sealed class AgentJsonIdentityTests
{
    [Fact]
    public void Patch_sets_the_identity_and_keeps_other_keys_in_order()
    {
        const string json = """
            {
                "Device": { "StoreId": "store-7", "ThingName": "old" },
                "Mqtt": { "Host": "h.example", "Port": 8883, "CertFile": "/old.crt" },
                "Slots": [ { "Id": "A1", "Sku": "x+y" } ]
            }
            """;

        var patched = AgentJsonIdentity.Patch(json, "shelf-1", "/etc/shelf-agent/certs/device.crt", "/etc/shelf-agent/certs/device.key");

        var root = JsonNode.Parse(patched)!.AsObject();
        Assert.Equal(["Device", "Mqtt", "Slots"], root.Select(p => p.Key));
        Assert.Equal("store-7", (string?)root["Device"]!["StoreId"]);
        Assert.Equal("shelf-1", (string?)root["Device"]!["ThingName"]);
        Assert.Equal(["Host", "Port", "CertFile", "KeyFile"], root["Mqtt"]!.AsObject().Select(p => p.Key));
        Assert.Equal("/etc/shelf-agent/certs/device.key", (string?)root["Mqtt"]!["KeyFile"]);
        Assert.Equal(8883, (int)root["Mqtt"]!["Port"]!);
        // Readable: 4-space indentation kept, '+' not escaped.
        Assert.Contains("\n    \"Device\"", patched, StringComparison.Ordinal);
        Assert.Contains("x+y", patched, StringComparison.Ordinal);
        Assert.EndsWith("}\n", patched, StringComparison.Ordinal);
    }

    [Fact]
    public void Patch_creates_missing_sections_and_matches_keys_without_case()
    {
        var patched = AgentJsonIdentity.Patch("""{ "mqtt": { "host": "h", "certfile": "a" } }""", "t", "c", "k");

        var root = JsonNode.Parse(patched)!.AsObject();
        Assert.Equal("c", (string?)root["mqtt"]!["certfile"]);
        Assert.Null(root["Mqtt"]);
        Assert.Equal("t", (string?)root["Device"]!["ThingName"]);
        Assert.Equal(new IotIdentity("c", "k", "t"), AgentJsonIdentity.Read(patched));
    }

    [Fact]
    public void Patch_accepts_comments_and_trailing_commas_as_the_config_reader_does()
    {
        var patched = AgentJsonIdentity.Patch("{ // a device\n \"Device\": { \"StoreId\": \"s\", },\n}", "t", "c", "k");

        Assert.Equal("s", (string?)JsonNode.Parse(patched)!["Device"]!["StoreId"]);
    }

    [Fact]
    public void Read_returns_no_identity_when_a_key_is_absent_or_not_a_string()
    {
        Assert.Null(AgentJsonIdentity.Read("""{"Device":{"ThingName":3},"Mqtt":{"CertFile":"c","KeyFile":"k"}}"""));
        Assert.Null(AgentJsonIdentity.Read("""{"Device":{"ThingName":"t"},"Mqtt":{"CertFile":"c"}}"""));
    }

    [Fact]
    public void Not_an_object_is_an_error()
    {
        Assert.Throws<JsonException>(() => AgentJsonIdentity.Read("[1]"));
        Assert.ThrowsAny<JsonException>(() => AgentJsonIdentity.Patch("{", "t", "c", "k"));
    }
}

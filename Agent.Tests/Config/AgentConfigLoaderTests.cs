using System.Collections;
using ShelfAgent.Config;
using ShelfAgent.Sensors;

namespace ShelfAgent.Tests.Config;

public sealed class AgentConfigLoaderTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Loads_every_key_when_the_file_is_valid()
    {
        var path = _files.Write(_files.ValidJson());

        var o = AgentConfigLoader.Load(path, out var warnings, ConfigFiles.NoEnvironment);

        Assert.Empty(warnings);
        Assert.Equal("shelf-0042-01", o.Device.ThingName);
        Assert.Equal("store-0042", o.Device.StoreId);
        Assert.Equal(8883, o.Mqtt.Port);
        Assert.Equal(60, o.Mqtt.KeepAliveSeconds);
        Assert.Equal(1000, o.Publish.IntervalMs);
        Assert.Equal(500, o.Sampling.IntervalMs);
        var slot = Assert.Single(o.Slots);
        Assert.Equal(
            ("A1", "COLA-355", 368.0, 150.0, 24, 4, SensorType.Simulated),
            (slot.Id, slot.Sku, slot.UnitGrams, slot.TareGrams, slot.Capacity, slot.LowStockAt, slot.Sensor.Type));
    }

    [Fact]
    public void Reports_every_problem_at_once_naming_key_and_file_when_several_keys_are_wrong()
    {
        var path = _files.Write("""
            {
              "Device": { "StoreId": "store 42" },
              "Mqtt": { "Host": "localhost", "Port": "eighty", "KeepAliveSeconds": 70000,
                        "CaFile": "/nonexistent/ca.crt", "CertFile": "/nonexistent/d.crt", "KeyFile": "/nonexistent/d.key" },
              "Slots": [
                { "Id": "A1", "Sku": "COLA-355", "UnitGrams": 368, "Capacity": 24, "LowStockAt": 4, "Sensor": { "Type": "Simulated" } },
                { "Id": "A1", "Sku": "COLA-355", "UnitGrams": "heavy", "Capacity": 24, "LowStockAt": 40, "Sensor": { "Type": "Laser" } }
              ]
            }
            """);

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        var keys = e.Problems.Select(p => p.Key).ToList();
        Assert.Equal(
            new[]
            {
                "Device:ThingName", "Device:StoreId", "Mqtt:Port", "Mqtt:KeepAliveSeconds", "Mqtt:CaFile", "Mqtt:CertFile", "Mqtt:KeyFile",
                "Slots:1:UnitGrams", "Slots:1:LowStockAt", "Slots:1:Id", "Slots:1:Sensor:Type",
            }.Order(),
            keys.Order());
        Assert.All(e.Message.Split('\n').Skip(1), line => Assert.Contains(path, line, StringComparison.Ordinal));
        Assert.Contains("duplicate slot id \"A1\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("file not found: /nonexistent/d.crt", e.Message, StringComparison.Ordinal);
        Assert.Contains("(was \"eighty\")", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc123-ats.iot.eu-west-1.amazonaws.com")]
    [InlineData("abc123-ats.iot.cn-north-1.amazonaws.com.cn")]
    [InlineData("vpce-0123456789abcdef0-abcdefgh.data.iot.us-west-2.vpce.amazonaws.com")]
    public void Refuses_a_keep_alive_aws_iot_core_does_not_accept_at_load_with_key_and_file(string host)
    {
        var path = _files.Write(_files.ValidJson(extraMqtt: """, "KeepAliveSeconds": 20""")
            .Replace("\"Host\": \"localhost\"", $"\"Host\": \"{host}\"", StringComparison.Ordinal));

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        var problem = Assert.Single(e.Problems, p => p.Key == "Mqtt:KeepAliveSeconds");
        Assert.Contains("30..1200 seconds for AWS IoT Core", problem.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_a_short_keep_alive_for_a_broker_that_is_not_aws()
    {
        var o = AgentConfigLoader.Load(_files.Write(_files.ValidJson(extraMqtt: """, "KeepAliveSeconds": 20""")), out _, ConfigFiles.NoEnvironment);

        Assert.Equal(20, o.Mqtt.KeepAliveSeconds);
    }

    [Theory]
    [InlineData("5", "5")]
    [InlineData("3.1.1", "3.1.1")]
    public void Reads_the_protocol_version_and_session_expiry(string version, string expected)
    {
        var o = AgentConfigLoader.Load(
            _files.Write(_files.ValidJson(extraMqtt: $$""", "ProtocolVersion": "{{version}}", "SessionExpirySeconds": 3600""")),
            out _,
            ConfigFiles.NoEnvironment);

        Assert.Equal((expected, 3600L), (o.Mqtt.ProtocolVersion, o.Mqtt.SessionExpirySeconds));
    }

    [Fact]
    public void Names_a_protocol_version_it_does_not_speak()
    {
        var path = _files.Write(_files.ValidJson(extraMqtt: """, "ProtocolVersion": "4" """));

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("Mqtt:ProtocolVersion", problem.Key);
        Assert.Contains("\"5\"", problem.Message, StringComparison.Ordinal);
        Assert.Contains("\"3.1.1\"", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_the_rate_limit_keys_and_names_a_guard_out_of_range()
    {
        var ok = AgentConfigLoader.Load(
            _files.Write(_files.ValidJson(extraMqtt: """, "MaxBytesPerSecond": 65536, "RateLimitGuardMs": 40""")),
            out _,
            ConfigFiles.NoEnvironment);
        Assert.Equal((65536L, 40), (ok.Mqtt.MaxBytesPerSecond, ok.Mqtt.RateLimitGuardMs));
        Assert.Equal(25, AgentConfigLoader.Load(_files.Write(_files.ValidJson()), out _, ConfigFiles.NoEnvironment).Mqtt.RateLimitGuardMs);

        var path = _files.Write(_files.ValidJson(extraMqtt: """, "RateLimitGuardMs": 5000"""));
        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));
        Assert.Equal("Mqtt:RateLimitGuardMs", Assert.Single(e.Problems).Key);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_the_file_when_it_does_not_exist()
    {
        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(Path.Combine(_files.Dir, "missing.json"), out _, ConfigFiles.NoEnvironment));

        Assert.Equal("(file)", Assert.Single(e.Problems).Key);
        Assert.Contains("missing.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_invalid_json_with_its_line_when_the_file_is_malformed()
    {
        var path = _files.Write("{ \"Device\": { \"ThingName\": \"x\", }\n  oops }");

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        Assert.Contains("is not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_a_key_that_does_not_match_the_certificate()
    {
        var other = ShelfAgent.Security.DevCertificateSet.Create(Path.Combine(_files.Dir, "other"), "someone-else");
        var path = _files.Write(_files.ValidJson().Replace(_files.Certs.DeviceKey, other.DeviceKey, StringComparison.Ordinal));

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        Assert.Equal("Mqtt:KeyFile", Assert.Single(e.Problems).Key);
    }

    [Fact]
    public void Accepts_a_certificate_file_that_holds_the_chain_after_the_device_certificate()
    {
        // Mqtt:CertFile may hold the device certificate followed by its intermediates; the key pairs with the first.
        File.AppendAllText(_files.Certs.DeviceCertificate, File.ReadAllText(_files.Certs.CaCertificate));
        var path = _files.Write(_files.ValidJson());

        var options = AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment);

        Assert.Equal(_files.Certs.DeviceCertificate, options.Mqtt.CertFile);
    }

    [Fact]
    public void Reports_an_unreadable_certificate_when_permissions_forbid_it()
    {
        if (Environment.UserName == "root")
        {
            // root reads any file; the check is still exercised by the not-found case above.
            var path0 = _files.Write(_files.ValidJson().Replace(_files.Certs.DeviceCertificate, "/proc/1/mem-nope", StringComparison.Ordinal));
            Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path0, out _, ConfigFiles.NoEnvironment));
            return;
        }

        File.SetUnixFileMode(_files.Certs.DeviceCertificate, UnixFileMode.None);
        var path = _files.Write(_files.ValidJson());

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        Assert.Contains("permission denied", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_variable_overrides_the_file_and_is_named_when_wrong()
    {
        var path = _files.Write(_files.ValidJson());
        var env = new Hashtable { ["SHELFAGENT_Mqtt__Port"] = "443", ["SHELFAGENT_Sampling__IntervalMs"] = "fast", ["PATH"] = "/bin" };

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, env));
        env.Remove("SHELFAGENT_Sampling__IntervalMs");
        var o = AgentConfigLoader.Load(path, out _, env);

        Assert.Contains("set by environment variable SHELFAGENT_Sampling__IntervalMs", Assert.Single(e.Problems).Message, StringComparison.Ordinal);
        Assert.Equal(443, o.Mqtt.Port);
    }

    [Fact]
    public void Warns_about_unknown_keys_when_a_key_is_misspelt()
    {
        var path = _files.Write(_files.ValidJson(extraMqtt: ", \"KeepAliveSecs\": 30"));

        AgentConfigLoader.Load(path, out var warnings, ConfigFiles.NoEnvironment);

        Assert.Contains(warnings, w => w.Contains("Mqtt:KeepAliveSecs: unknown key", StringComparison.Ordinal));
    }

    [Fact]
    public void Requires_a_ca_file_unless_the_host_is_an_aws_iot_endpoint()
    {
        var json = _files.ValidJson().Replace($"\"CaFile\": \"{_files.Certs.CaCertificate}\", ", "", StringComparison.Ordinal);
        var local = _files.Write(json, "local.json");
        var aws = _files.Write(json.Replace("\"localhost\"", "\"abc123-ats.iot.eu-west-1.amazonaws.com\"", StringComparison.Ordinal), "aws.json");

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(local, out _, ConfigFiles.NoEnvironment));
        var o = AgentConfigLoader.Load(aws, out _, ConfigFiles.NoEnvironment);

        Assert.Equal("Mqtt:CaFile", Assert.Single(e.Problems).Key);
        Assert.Null(o.Mqtt.CaFile);
    }
}

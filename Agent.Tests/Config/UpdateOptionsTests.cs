using ShelfAgent.Config;

namespace ShelfAgent.Tests.Config;

public sealed class UpdateOptionsTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Reads_trusted_keys_and_the_health_window_with_their_defaults()
    {
        using var key = new SigningKey();
        var path = _files.Write(WithUpdate($$"""{ "TrustedKeys": [ "{{key.PublicBase64}}" ] }"""));

        var o = AgentConfigLoader.Load(path, out var warnings, ConfigFiles.NoEnvironment);

        Assert.Empty(warnings);
        Assert.Equal([key.Id], o.Update.Keys().Ids);
        Assert.Equal(300, o.Update.HealthWindowSeconds);
        Assert.Equal("/opt/shelf-agent", o.Update.InstallPath);
    }

    [Fact]
    public void Names_each_bad_key_by_its_position_and_a_health_window_out_of_range()
    {
        using var key = new SigningKey();
        var path = _files.Write(WithUpdate($$"""{ "TrustedKeys": [ "{{key.PublicBase64}}", "nope" ], "HealthWindowSeconds": 5 }"""));

        var e = Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(path, out _, ConfigFiles.NoEnvironment));

        Assert.Equal(["Update:HealthWindowSeconds", "Update:TrustedKeys:1"], e.Problems.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    private string WithUpdate(string update) => _files.ValidJson().TrimEnd().TrimEnd('}') + $", \"Update\": {update} }}";
}

using System.Text.Json.Nodes;

namespace ShelfAgent.Cloud.Tests;

[Collection(CdkSynth.Name)]
public sealed class SynthTests(SynthFixture synth)
{
    [Fact]
    public void Synthesizes_a_cloud_assembly_without_credentials_when_stage_is_given()
    {
        Assert.True(File.Exists(synth.TemplatePath));
        var manifest = JsonNode.Parse(File.ReadAllText(synth.ManifestPath))!;
        Assert.NotNull(manifest["artifacts"]!["ShelfAgent-test"]);
    }

    [Fact]
    public void Stack_is_environment_agnostic_when_synthesized()
    {
        Assert.Equal("unknown-account/unknown-region", synth.StackEnvironment);
        var template = File.ReadAllText(synth.TemplatePath);
        Assert.DoesNotMatch(@"\b\d{12}\b", template);
    }

    [Fact]
    public void Stack_needs_no_docker_or_file_assets_but_its_template_when_deployed()
    {
        // Inline Lambda code only: no bundling, so `cdk deploy` works on a machine without Docker.
        Assert.Equal(0, synth.OfType("AWS::Lambda::Function").Count(f => f.Value["Properties"]!["Code"]!["ZipFile"] is null));
    }
}

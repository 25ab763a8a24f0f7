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
    public void Stack_needs_docker_only_for_the_evaluation_image_and_file_assets_only_for_the_release_watch_and_canary_when_deployed()
    {
        // Inline Lambda code but for the release watch and the release canary, which are past CloudFormation's 4 KB inline
        // limit and ship as plain file assets (no bundling). The one Docker image is the release evaluation's
        // (-c releaseEvaluation=false leaves it out, for a deploy from a machine without Docker).
        var assets = synth.OfType("AWS::Lambda::Function").Where(f => f.Value["Properties"]!["Code"]!["ZipFile"] is null).Select(f => f.Key).ToList();
        Assert.Equal(2, assets.Count);
        Assert.Single(assets, id => id.StartsWith("ReleaseWatchFunction", StringComparison.Ordinal));
        Assert.Single(assets, id => id.StartsWith("ReleaseCanaryFunction", StringComparison.Ordinal));
        var manifest = Directory.GetFiles(Path.GetDirectoryName(synth.TemplatePath)!, "*.assets.json").Single();
        var docker = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifest))!["dockerImages"]!.AsObject();
        Assert.Equal("Tools/LocalLake/aws/Dockerfile", docker.Single().Value!["source"]!["dockerFile"]!.GetValue<string>());
    }
}

using Amazon.CDK;

namespace ShelfAgent.Cloud;

/// <summary>Composition of the app: used by Program and by the tests, so both synthesize the same thing.</summary>
public static class CloudApp
{
    /// <summary>Adds the stage's stack to the app.</summary>
    public static ShelfCloudStack Build(App app, StageNaming naming)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(naming);
        return new ShelfCloudStack(app, naming, new StackProps
        {
            Description = $"ShelfAgent cloud side ({naming.Stage}): IoT identity and rules, Kinesis, S3/Glue/Athena lake, governance, monitoring",
            Tags = new Dictionary<string, string> { ["project"] = "shelfagent", ["stage"] = naming.Stage },
        });
    }
}

using Amazon.CDK;

namespace ShelfAgent.Cloud;

/// <summary>Entry point of the CDK app (cdk.json: dotnet run). Stage from context: -c stage=prod.</summary>
internal static class Program
{
    public static void Main()
    {
        var app = new App();
        var stage = app.Node.TryGetContext("stage") as string ?? "dev";
        _ = CloudApp.Build(app, new StageNaming(stage));
        app.Synth();
    }
}

using System.Globalization;
using Amazon.CDK;
using ShelfAgent.Cloud.Cost;

namespace ShelfAgent.Cloud;

/// <summary>
/// Entry point of the CDK app (cdk.json: dotnet run). Stage from context: -c stage=prod.
/// `dotnet run --project Cloud -- cost [devices]` prints the cost model instead (Cloud/Cost, README "What it costs").
/// </summary>
internal static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "cost")
        {
            var devices = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
            var prices = AwsPriceList.UsEast1;
            Console.WriteLine(CostScenarios.LeverTable(devices, prices));
            foreach (var fleet in CostScenarios.For(devices))
            {
                Console.WriteLine(CostModel.Bill(fleet, prices).ToMarkdown());
            }

            Console.WriteLine("Prices: " + string.Join(System.Environment.NewLine + "        ", prices.Sources));
            return;
        }

        var app = new App();
        var stage = app.Node.TryGetContext("stage") as string ?? "dev";
        _ = CloudApp.Build(app, new StageNaming(stage));
        app.Synth();
    }
}

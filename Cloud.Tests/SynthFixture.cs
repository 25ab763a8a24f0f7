using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace ShelfAgent.Cloud.Tests;

/// <summary>
/// One synthesis for the whole suite (the CDK drives a node process; a synth costs seconds). It runs the real
/// App.Synth() into a temporary cloud assembly with no credentials and no network, exactly as `cdk synth` would.
/// </summary>
public sealed class SynthFixture : IDisposable
{
    private readonly string _outDir;

    public SynthFixture()
        : this("test", new Dictionary<string, object>())
    {
    }

    /// <summary>Synthesizes a stage with extra context (the optional parts).</summary>
    internal SynthFixture(string stage, IDictionary<string, object> context)
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1");
        _outDir = Path.Combine(Path.GetTempPath(), "shelfagent-cdk-" + Guid.NewGuid().ToString("N"));
        var app = new App(new AppProps
        {
            Outdir = _outDir,
            Context = new Dictionary<string, object>(context) { ["stage"] = stage },
        });
        Stack = CloudApp.Build(app, new StageNaming(stage));
        var assembly = app.Synth();
        var artifact = assembly.GetStackByName(Stack.StackName);
        TemplatePath = artifact.TemplateFullPath;
        ManifestPath = Path.Combine(_outDir, "manifest.json");
        StackEnvironment = artifact.Environment.Account + "/" + artifact.Environment.Region;
        Json = JsonNode.Parse(File.ReadAllText(TemplatePath))!.AsObject();
        Template = Template.FromStack(Stack);
    }

    /// <summary>The synthesized stack.</summary>
    public ShelfCloudStack Stack { get; }

    /// <summary>Assertions view of the template.</summary>
    public Template Template { get; }

    /// <summary>The template as parsed JSON (for exact comparisons in plain .NET).</summary>
    public JsonObject Json { get; }

    /// <summary>Path of the synthesized template.</summary>
    public string TemplatePath { get; }

    /// <summary>Path of the cloud assembly manifest.</summary>
    public string ManifestPath { get; }

    /// <summary>account/region of the stack artifact.</summary>
    public string StackEnvironment { get; }

    /// <summary>Resources of the template.</summary>
    public JsonObject ResourceMap => Json["Resources"]!.AsObject();

    /// <summary>All resources of a CloudFormation type, by logical id.</summary>
    public IEnumerable<KeyValuePair<string, JsonObject>> OfType(string type) =>
        ResourceMap.Where(r => r.Value!["Type"]!.GetValue<string>() == type)
            .Select(r => KeyValuePair.Create(r.Key, r.Value!.AsObject()));

    /// <summary>The properties of the only resource of a type whose logical id starts with a prefix.</summary>
    public JsonObject PropertiesOf(string type, string logicalIdPrefix = "")
    {
        var matches = OfType(type).Where(r => r.Key.StartsWith(logicalIdPrefix, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected one {type} starting with '{logicalIdPrefix}', found {matches.Count}.");
        return matches[0].Value["Properties"]!.AsObject();
    }

    /// <summary>Logical id of the only resource of a type whose id starts with a prefix.</summary>
    public string LogicalId(string type, string logicalIdPrefix)
    {
        var matches = OfType(type).Where(r => r.Key.StartsWith(logicalIdPrefix, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"Expected one {type} starting with '{logicalIdPrefix}', found {matches.Count}.");
        return matches[0].Key;
    }

    /// <summary>Statements of every IAM policy attached to a role (CDK writes them as AWS::IAM::Policy resources).</summary>
    public IReadOnlyList<(IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, JsonObject Raw)> RoleStatements(string roleLogicalId) =>
        OfType("AWS::IAM::Policy")
            .Where(p => p.Value["Properties"]!["Roles"]!.AsArray().Any(r => Cfn.Render(r) == "${" + roleLogicalId + "}"))
            .SelectMany(p => Cfn.Statements(p.Value["Properties"]!["PolicyDocument"]!))
            .ToList();

    /// <summary>Logical id of the role behind a rendered "${Role.Arn}".</summary>
    public static string RoleIdOf(JsonNode? roleArn)
    {
        var rendered = Cfn.Render(roleArn);
        Assert.EndsWith(".Arn}", rendered, StringComparison.Ordinal);
        return rendered[2..^5];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_outDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}

/// <summary>The stack with every optional part on (transactional sources, Redshift, SageMaker).</summary>
public sealed class FullSynthFixture : IDisposable
{
    /// <summary>The context a data team would pass (identifiers of existing resources are examples).</summary>
    public static Dictionary<string, object> Context { get; } = new()
    {
        ["salesDbSecretArn"] = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:sales-AbCdEf",
        ["salesDbEngine"] = "postgres",
        ["salesDbName"] = "retail",
        ["salesDbSubnetIds"] = "subnet-0a1b2c3d,subnet-4e5f6a7b",
        ["salesDbSecurityGroupIds"] = "sg-0123456789abcdef0",
        ["purchasesStreamArn"] = "arn:aws:dynamodb:eu-west-1:111122223333:table/purchases/stream/2026-11-01T00:00:00.000",
        ["redshift"] = "true",
        ["sagemaker"] = "true",
        ["trainingImage"] = "141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1",
        ["lakeFormationSettings"] = "true",
        ["lakeFormationAdmins"] = "arn:aws:iam::111122223333:role/DataLakeAdmin",
    };

    public SynthFixture Synth { get; } = new("full", Context);

    public void Dispose() => Synth.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CdkSynth : ICollectionFixture<SynthFixture>, ICollectionFixture<FullSynthFixture>
{
    // All CDK tests share one synth and run one after another: the jsii runtime is one node process.
    public const string Name = "cdk synth";
}

using System.Reflection;

namespace ShelfAgent.Cloud;

/// <summary>
/// The Lambda functions' JavaScript (Cloud/Lambda/*.js, embedded in this assembly). It is inlined into the
/// template (no bundling, no Docker); CloudFormation caps inline code at 4096 bytes, so the one function past it (the
/// release watch) ships the same text as a plain file asset.
/// </summary>
public static class LambdaSource
{
    /// <summary>CloudFormation's limit for Lambda ZipFile code.</summary>
    public const int InlineLimitBytes = 4096;

    /// <summary>The Firehose transformation of telemetry readings (v1 and v2).</summary>
    public const string Transform = "shelf-transform.js";

    /// <summary>The Firehose transformation of events, alerts and forecasts.</summary>
    public const string Activity = "shelf-activity.js";

    /// <summary>Replays rule-action failures and Firehose error records onto the stream.</summary>
    public const string Replay = "rule-replay.js";

    /// <summary>The fleet provisioning pre-provisioning hook.</summary>
    public const string ProvisioningHook = "provisioning-hook.js";

    /// <summary>The rotation template's pre-provisioning hook: the caller's certificate must be attached to the thing.</summary>
    public const string RotationHook = "rotation-hook.js";

    /// <summary>Publishes caught and missed stock-outs from Athena to CloudWatch.</summary>
    public const string PredictionHealth = "prediction-health.js";

    /// <summary>The custom resource that reads a KMS signing key's public half for the stack's outputs.</summary>
    public const string KmsPublicKey = "kms-public-key.js";

    /// <summary>
    /// The watch of profile releases: past the inline limit, so it ships as a file asset (ReleaseWatch), not in <see cref="All"/>.
    /// </summary>
    public const string ReleaseWatch = "release-watch.js";

    /// <summary>
    /// The start of a profile release's canary when its approval is written: past the inline limit too (ReleaseCanary).
    /// </summary>
    public const string ReleaseCanary = "release-canary.js";

    /// <summary>Every embedded function that is inlined.</summary>
    public static IReadOnlyList<string> All { get; } = [Transform, Activity, Replay, ProvisioningHook, RotationHook, PredictionHealth, KmsPublicKey];

    /// <summary>
    /// The code as inlined: the embedded JavaScript without its whole-line comments (they stay in the repository
    /// copy), which keeps it under <see cref="InlineLimitBytes"/>.
    /// </summary>
    public static string Read(string file) =>
        string.Join('\n', ReadSource(file).Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));

    /// <summary>A folder holding index.js = the code as <see cref="Read"/> gives it (as the node tests run it); named by its hash.</summary>
    public static string AssetFolder(string file)
    {
        var code = Read(file);
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code)))[..16];
        var folder = Path.Combine(Path.GetTempPath(), "shelfagent-" + Path.GetFileNameWithoutExtension(file) + "-" + hash);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "index.js"), code);
        return folder;
    }

    /// <summary>Reads the embedded JavaScript as written.</summary>
    public static string ReadSource(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"ShelfAgent.Cloud.Lambda.{file}")
            ?? throw new InvalidOperationException($"Embedded resource {file} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

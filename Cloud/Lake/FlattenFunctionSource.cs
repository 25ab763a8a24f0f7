using System.Reflection;

namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// The Firehose transformation Lambda's source (Lambda/flatten-readings.js, embedded in this assembly).
/// It is inlined into the template (no bundling, no Docker); CloudFormation caps inline code at 4096 bytes.
/// </summary>
public static class FlattenFunctionSource
{
    /// <summary>CloudFormation's limit for Lambda ZipFile code.</summary>
    public const int InlineLimitBytes = 4096;

    /// <summary>Reads the embedded JavaScript.</summary>
    public static string Read()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ShelfAgent.Cloud.Lambda.flatten-readings.js")
            ?? throw new InvalidOperationException("Embedded resource flatten-readings.js is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

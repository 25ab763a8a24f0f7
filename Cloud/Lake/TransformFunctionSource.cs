using System.Reflection;

namespace ShelfAgent.Cloud.Lake;

/// <summary>
/// The Firehose transformation Lambda's source (Lambda/shelf-transform.js, embedded in this assembly), shared
/// by both delivery streams (environment OUTPUT = readings | activity). It is inlined into the template (no
/// bundling, no Docker); CloudFormation caps inline code at 4096 bytes.
/// </summary>
public static class TransformFunctionSource
{
    /// <summary>CloudFormation's limit for Lambda ZipFile code.</summary>
    public const int InlineLimitBytes = 4096;

    /// <summary>
    /// The code as inlined: the embedded JavaScript without its whole-line comments (they stay in the repository
    /// copy), which keeps it under <see cref="InlineLimitBytes"/>.
    /// </summary>
    public static string Read() =>
        string.Join('\n', ReadSource().Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));

    /// <summary>Reads the embedded JavaScript as written.</summary>
    public static string ReadSource()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ShelfAgent.Cloud.Lambda.shelf-transform.js")
            ?? throw new InvalidOperationException("Embedded resource shelf-transform.js is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace ShelfAgent.Cloud;

/// <summary>
/// One way to make the stack's Lambda functions: inline JavaScript from <see cref="LambdaSource"/>, a supported
/// Node.js runtime, a log group with a retention, and the AWS SDK v3 that the runtime ships (no bundling).
/// </summary>
public static class InlineNodeFunction
{
    /// <summary>
    /// nodejs24.x: nodejs20.x creation is blocked (cfn-lint E2533: deprecated 2026-04-30) and nodejs22.x ends
    /// 2027-04-30. CDK 2.160 has no constant for it, hence the explicit name.
    /// </summary>
    public static Runtime Runtime { get; } = new("nodejs24.x", RuntimeFamily.NODEJS, new LambdaRuntimeProps { SupportsInlineCode = true });

    /// <summary>Creates the function and its log group.</summary>
    public static NodeFunction Create(
        Construct scope, string id, string file, string description, Duration timeout,
        IDictionary<string, string>? environment = null, double memoryMb = 256)
    {
        var logs = new LogGroup(scope, id + "Logs", new LogGroupProps
        {
            Retention = RetentionDays.TWO_WEEKS,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        var function = new Function(scope, id, new FunctionProps
        {
            Runtime = Runtime,
            Handler = "index.handler",
            Code = Code.FromInline(LambdaSource.Read(file)),
            Environment = environment,
            MemorySize = memoryMb,
            Timeout = timeout,
            Description = description,
            LogGroup = logs,
        });
        return new NodeFunction(function, logs);
    }
}

/// <summary>A function and its log group (metric filters read the log group).</summary>
public sealed record NodeFunction(Function Function, LogGroup Logs);

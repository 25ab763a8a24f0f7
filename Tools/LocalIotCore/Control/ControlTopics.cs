namespace ShelfAgent.LocalIot.Control;

/// <summary>
/// The control topics: a request on <c>$local-iot-core/control/{operation}</c> with a <c>clientToken</c>, answered on
/// <c>…/accepted</c> or <c>…/rejected</c> (<c>{clientToken, code, message}</c>), the request/reply shape of AWS's own
/// MQTT APIs. Only the service identity may use them (its key is 0600 in the state folder); a <c>$</c> topic is out of
/// reach of any <c>#</c> subscription (MQTT 5 §4.7.2), and devices' policies name none of them.
/// </summary>
public static class ControlTopics
{
    /// <summary>Every control topic starts with this.</summary>
    public const string Prefix = "$local-iot-core/control/";

    /// <summary>What the service subscribes to: every request, no reply.</summary>
    public const string Requests = Prefix + "+";

    /// <summary>The request topic of <paramref name="operation"/>.</summary>
    public static string Request(ControlOperation operation) => Prefix + Name(operation);

    /// <summary>The operation a request topic names, or null.</summary>
    public static ControlOperation? Parse(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var name = topic[Prefix.Length..];
        return Enum.GetValues<ControlOperation>().Select(o => (ControlOperation?)o).FirstOrDefault(o => Name(o!.Value) == name);
    }

    /// <summary>The topic level of an operation: register-thing, create-job, update-shadow, …</summary>
    public static string Name(ControlOperation operation) => operation switch
    {
        ControlOperation.RegisterThing => "register-thing",
        ControlOperation.RegisterObserver => "register-observer",
        ControlOperation.CreateJob => "create-job",
        ControlOperation.CancelJob => "cancel-job",
        ControlOperation.DescribeJob => "describe-job",
        ControlOperation.ListJobs => "list-jobs",
        ControlOperation.UpdateShadow => "update-shadow",
        ControlOperation.GetShadow => "get-shadow",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown control operation."),
    };
}

namespace ShelfAgent.Cli;

/// <summary>Parses <c>--param Key=Value</c> arguments into RegisterThing's parameters. Pure.</summary>
public static class TemplateParameters
{
    /// <summary>The parameters, or the problems (a missing '=', an empty key, a key given twice).</summary>
    public static (IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> Problems) Parse(IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problems.Add($"--param takes Key=Value (was \"{argument}\")");
                continue;
            }

            var key = argument[..equals].Trim();
            if (!parameters.TryAdd(key, argument[(equals + 1)..]))
            {
                problems.Add($"--param {key} is given twice");
            }
        }

        return (parameters, problems);
    }
}

using ShelfAgent.Validation;

namespace ShelfAgent.Config;

/// <summary>
/// The configuration has problems; <see cref="Exception.Message"/> lists every one, each naming its key (as a person
/// reads it, <see cref="ConfigProblem.Name"/>) and the file.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception for a file and its problems.</summary>
    public ConfigException(string file, IReadOnlyList<ConfigProblem> problems)
        : base(Format(file, problems))
    {
        File = file;
        Problems = problems;
    }

    /// <summary>The configuration file.</summary>
    public string File { get; }

    /// <summary>Everything found wrong.</summary>
    public IReadOnlyList<ConfigProblem> Problems { get; }

    private static string Format(string file, IReadOnlyList<ConfigProblem> problems)
        => $"{problems.Count} configuration problem{(problems.Count == 1 ? "" : "s")} in {file}:" + Environment.NewLine
           + string.Join(Environment.NewLine, problems.Select(p => $"  {file}: {p.Name}: {p.Message}"));
}

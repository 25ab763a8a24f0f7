using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ShelfAgent.Config;

namespace ShelfAgent.Cli;

/// <summary>Options shared by several commands.</summary>
public static class CliOptions
{
    /// <summary><c>--config PATH</c>, defaulting to /etc/shelf-agent/agent.json.</summary>
    public static Option<string> Config() => new("--config", "-c")
    {
        Description = $"Path of agent.json (environment variables SHELFAGENT_<Section>__<Key> override it)",
        DefaultValueFactory = _ => AgentConfigLoader.DefaultPath,
    };

    /// <summary>
    /// A whole-number option whose parse error says what it takes in the user's words
    /// (<c>--bus takes an I2C bus number … (was "abc")</c>) instead of "expected type 'System.Int32'".
    /// </summary>
    public static Option<int> WholeNumber(
        string name, string description, string takes, int @default, int min = int.MinValue, int max = int.MaxValue)
        => new(name)
        {
            Description = description,
            DefaultValueFactory = _ => @default,
            CustomParser = result => Parse(
                result,
                name,
                takes,
                @default,
                min,
                max,
                (string text, out int v) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out v),
                v => v),
        };

    /// <summary>As <see cref="WholeNumber"/>, for a number with a fraction (grams).</summary>
    public static Option<double> Number(string name, string description, string takes, double min, double max) => new(name)
    {
        Description = description,
        CustomParser = result => Parse(
            result,
            name,
            takes,
            0.0,
            min,
            max,
            (string text, out double v) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out v) && double.IsFinite(v),
            v => v),
    };

    private delegate bool TryParse<T>(string text, out T value);

    private static T Parse<T>(ArgumentResult result, string name, string takes, T @default, T min, T max, TryParse<T> tryParse, Func<T, T> identity)
        where T : IComparable<T>
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (tryParse(text, out var value) && value.CompareTo(min) >= 0 && value.CompareTo(max) <= 0)
        {
            return identity(value);
        }

        result.AddError($"{name} takes {takes} (was \"{text}\")");
        return @default;
    }
}

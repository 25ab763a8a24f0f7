using System.CommandLine;

namespace ShelfAgent.Bench;

/// <summary>A benchmark's <c>--name value</c> option with its default, shown by <c>--help</c>.</summary>
internal static class BenchOption
{
    public static Option<T> Of<T>(string name, T @default, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => @default,
    };
}

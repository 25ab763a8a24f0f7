using System.Diagnostics;
using Xunit.Sdk;

namespace ShelfAgent.Tests.TestSupport;

/// <summary>
/// The one way tests wait for something another process or thread will do: a bounded poll. The bound is a generous
/// limit for a loaded machine, not a speed check; the wait ends as soon as the condition holds (STYLE.md rule 16).
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds; past <paramref name="bound"/> the test fails with
    /// <paramref name="describe"/> (what should have happened) and <paramref name="diagnostic"/> (e.g. the agent's
    /// output). An exception from the condition ends the wait at once (e.g. "the agent exited").
    /// </summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan bound, string describe, Func<string>? diagnostic = null, TimeSpan? every = null) =>
        UntilAsync(() => Task.FromResult(condition()), bound, describe, diagnostic, every);

    /// <summary>As above, for a condition that reads something asynchronously (a file, a database).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan bound, string describe, Func<string>? diagnostic = null, TimeSpan? every = null)
    {
        if (!await WithinAsync(condition, bound, every))
        {
            throw new XunitException($"Not within {bound.TotalSeconds:0.#} s: {describe}" + (diagnostic is null ? "" : "\n" + diagnostic()));
        }
    }

    /// <summary>True as soon as <paramref name="condition"/> holds, false once <paramref name="bound"/> has passed.</summary>
    public static Task<bool> WithinAsync(Func<bool> condition, TimeSpan bound, TimeSpan? every = null) =>
        WithinAsync(() => Task.FromResult(condition()), bound, every);

    /// <summary>True as soon as <paramref name="condition"/> holds, false once <paramref name="bound"/> has passed.</summary>
    public static async Task<bool> WithinAsync(Func<Task<bool>> condition, TimeSpan bound, TimeSpan? every = null)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) >= bound)
            {
                return await condition();
            }

            await Task.Delay(every ?? DefaultEvery);
        }

        return true;
    }
}

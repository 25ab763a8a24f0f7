using System.Globalization;

namespace ShelfAgent.Contract;

/// <summary>
/// Release versions as release/build.sh makes them (<c>1.4.0</c>, <c>0.1.0-dev.42.ab12cd34</c>, an optional
/// <c>+commit</c>) compared the SemVer 2.0 way: numbers first, a pre-release below its release, build metadata ignored.
/// Pure.
/// </summary>
public static class ReleaseVersion
{
    /// <summary>True for a version a release folder may be named after: starts with a digit, then [0-9A-Za-z.+-], ≤ 64.</summary>
    public static bool IsValid(string? version) =>
        version is { Length: > 0 and <= 64 }
        && char.IsAsciiDigit(version[0])
        && version.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+')
        && !version.Contains("..", StringComparison.Ordinal);

    /// <summary>Negative when <paramref name="a"/> is older than <paramref name="b"/>, 0 when the same release, positive when newer.</summary>
    public static int Compare(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (coreA, preA) = Split(a);
        var (coreB, preB) = Split(b);
        var byCore = CompareIdentifiers(coreA, coreB);
        if (byCore != 0)
        {
            return byCore;
        }

        // SemVer §11: a pre-release is older than its release.
        return (preA, preB) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => CompareIdentifiers(preA, preB),
        };
    }

    private static (string Core, string? Pre) Split(string version)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        var bare = plus < 0 ? version : version[..plus];
        var dash = bare.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? (bare, null) : (bare[..dash], bare[(dash + 1)..]);
    }

    private static int CompareIdentifiers(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            if (i >= x.Length)
            {
                return -1;
            }

            if (i >= y.Length)
            {
                return 1;
            }

            var numeric = long.TryParse(x[i], NumberStyles.None, CultureInfo.InvariantCulture, out var m);
            var numericToo = long.TryParse(y[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n);
            var c = (numeric, numericToo) switch
            {
                (true, true) => m.CompareTo(n),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(x[i], y[i]),
            };
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }
}

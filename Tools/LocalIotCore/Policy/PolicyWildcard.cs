namespace ShelfAgent.LocalIot.Policy;

/// <summary>
/// IAM/IoT resource and action matching: <c>*</c> matches any run of characters (slashes included), <c>?</c> exactly
/// one. MQTT's <c>+</c> and <c>#</c> are ordinary characters here (developer guide "AWS IoT Core policy resources":
/// a topicfilter resource names the filter literally). Pure.
/// </summary>
public static class PolicyWildcard
{
    public static bool Matches(string pattern, string value, bool ignoreCase = false)
    {
        // Iterative glob with backtracking to the last '*': linear in practice, no regex escaping to get wrong.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], value[v], ignoreCase)) && pattern[p] != '*')
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) => ignoreCase ? char.ToLowerInvariant(a) == char.ToLowerInvariant(b) : a == b;
}

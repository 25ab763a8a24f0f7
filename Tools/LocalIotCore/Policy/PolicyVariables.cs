using System.Text;

namespace ShelfAgent.LocalIot.Policy;

/// <summary>
/// Substitutes ${…} policy variables in a resource or condition value for one connection. A variable that does not
/// resolve makes the whole value unusable (null): the resource then matches nothing, which is what AWS does with
/// an unresolvable variable (the statement does not apply). ${*}, ${?}, ${$} stand for a literal character, so the
/// result comes with a mask of which characters are wildcards. Pure.
/// </summary>
public static class PolicyVariables
{
    /// <summary>The substituted pattern, with literal * and ? from ${*}/${?} escaped as \u0001 / \u0002 markers; null if a variable is unresolved.</summary>
    public static string? Substitute(string value, ConnectionContext connection)
    {
        var text = new StringBuilder(value.Length);
        var i = 0;
        while (i < value.Length)
        {
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '{')
            {
                var end = value.IndexOf('}', i + 2);
                if (end < 0)
                {
                    return null;
                }

                var name = value[(i + 2)..end];
                var resolved = connection.Variable(name);
                if (resolved is null)
                {
                    return null;
                }

                // A value that came from a variable is literal: a thing name with '*' must not become a wildcard.
                text.Append(resolved.Replace("*", Literal.Star, StringComparison.Ordinal).Replace("?", Literal.Question, StringComparison.Ordinal));
                i = end + 1;
            }
            else
            {
                text.Append(value[i++]);
            }
        }

        return text.ToString();
    }

    /// <summary>Markers for a literal * or ? inside a substituted pattern (never in MQTT topics: control characters are refused there).</summary>
    public static class Literal
    {
        public const string Star = "\u0001";
        public const string Question = "\u0002";

        /// <summary>A concrete value (topic, client id) with its * and ? turned into the markers, to match a substituted pattern.</summary>
        public static string Escape(string value) => value.Replace("*", Star, StringComparison.Ordinal).Replace("?", Question, StringComparison.Ordinal);
    }
}

using System.Text;

namespace ShelfAgent.LocalIot.Broker;

/// <summary>
/// Renders a mosquitto acl_file (mosquitto.conf(5)): a "user" block per identity (the certificate CN, through
/// use_identity_as_username) with its "topic" lines. An identity with no block may do nothing.
/// </summary>
public static class MosquittoAcl
{
    public static string Render(IEnumerable<(string User, IReadOnlyList<AclEntry> Entries)> users)
    {
        var text = new StringBuilder();
        foreach (var (user, entries) in users)
        {
            text.Append("user ").Append(user).Append('\n');
            foreach (var entry in entries)
            {
                text.Append("topic ").Append(entry.Access).Append(' ').Append(entry.Topic).Append('\n');
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}

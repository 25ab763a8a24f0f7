using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace ShelfAgent.Config;

/// <summary>
/// A short, stable fingerprint of an effective configuration: SHA-256 over its key=value lines in ordinal key
/// order (so key order and whitespace in agent.json do not matter), first 16 hex digits. agent.json holds paths,
/// never key material, so nothing secret is hashed.
/// </summary>
public static class ConfigHash
{
    /// <summary>The fingerprint of <paramref name="root"/>.</summary>
    public static string Of(IConfiguration root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var text = new StringBuilder();
        foreach (var (key, value) in root.AsEnumerable().Where(p => p.Value is not null).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            text.Append(key.ToUpperInvariant()).Append('=').Append(value).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}

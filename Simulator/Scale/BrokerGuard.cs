using System.Net;
using ShelfAgent.Transport;

namespace ShelfAgent.Simulator.Scale;

/// <summary>
/// What a load test may be aimed at: this machine (127.0.0.1, ::1, localhost) always; an AWS IoT endpoint only with
/// <c>--i-mean-aws</c> (it costs money and counts against the account's quotas); anything else never — a load test
/// against a shared broker is an outage for everyone else on it.
/// </summary>
public static class BrokerGuard
{
    /// <summary>Null when <paramref name="host"/> may be loaded, else the reason it may not.</summary>
    public static string? Check(string host, bool iMeanAws)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (IsLoopback(host))
        {
            return null;
        }

        if (AwsIotLimits.IsAwsIotEndpoint(host))
        {
            return iMeanAws
                ? null
                : $"{host} is a real AWS IoT endpoint: a load test there costs money and uses the account's quotas; add --i-mean-aws if you mean it";
        }

        return $"{host} is neither this machine (127.0.0.1, ::1, localhost) nor an AWS IoT endpoint: shelf-sim loads only those";
    }

    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && (address.Equals(IPAddress.Loopback) || address.Equals(IPAddress.IPv6Loopback)));
}

using System.Net;

namespace ShelfAgent.Security;

/// <summary>
/// The files <c>shelf-agent dev-certs</c> writes into one folder: a CA (kept so more devices can be issued
/// later), a broker certificate for localhost/127.0.0.1/::1, and one device certificate per thing.
/// </summary>
public sealed record DevCertificateSet(string Directory, string ThingName)
{
    /// <summary>CA certificate: the broker's <c>cafile</c> and the agent's <c>Mqtt:CaFile</c>.</summary>
    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    /// <summary>CA private key (0600).</summary>
    public string CaKey => Path.Combine(Directory, "ca.key");

    /// <summary>Broker certificate.</summary>
    public string ServerCertificate => Path.Combine(Directory, "server.crt");

    /// <summary>Broker private key (0600).</summary>
    public string ServerKey => Path.Combine(Directory, "server.key");

    /// <summary>Device certificate (CN = thing name): the agent's <c>Mqtt:CertFile</c>.</summary>
    public string DeviceCertificate => Path.Combine(Directory, $"{ThingName}.crt");

    /// <summary>Device private key (0600): the agent's <c>Mqtt:KeyFile</c>.</summary>
    public string DeviceKey => Path.Combine(Directory, $"{ThingName}.key");

    /// <summary>
    /// Writes the set. An existing CA in the folder is reused (so earlier device certificates stay valid);
    /// the server certificate is made once; the device certificate is always (re)issued.
    /// </summary>
    public static DevCertificateSet Create(string directory, string thingName, KeyKind deviceKey = KeyKind.EcP256, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(thingName);
        var set = new DevCertificateSet(directory, thingName);
        using var ca = Authority(set, time);
        using var device = ca.IssueClient(thingName, deviceKey);
        device.WritePem(set.DeviceCertificate, set.DeviceKey);
        return set;
    }

    /// <summary>
    /// Writes the CA and the server certificate only (no device): for a local server other than the broker, e.g. the
    /// local lake's HTTPS file server (<c>local-lake serve</c>). Reuses what the folder holds, as <see cref="Create"/> does.
    /// </summary>
    public static DevCertificateSet CreateServer(string directory, TimeProvider? time = null)
    {
        var set = new DevCertificateSet(directory, "none");
        using var ca = Authority(set, time);
        return set;
    }

    /// <summary>The folder's CA (made when absent), after making sure the server certificate exists.</summary>
    private static DevCertificateAuthority Authority(DevCertificateSet set, TimeProvider? time)
    {
        var info = System.IO.Directory.CreateDirectory(set.Directory);
        if (!OperatingSystem.IsWindows())
        {
            info.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }

        var ca = File.Exists(set.CaCertificate) && File.Exists(set.CaKey)
            ? DevCertificateAuthority.Load(set.CaCertificate, set.CaKey, time)
            : NewAuthority(set, time);
        try
        {
            if (!File.Exists(set.ServerCertificate) || !File.Exists(set.ServerKey))
            {
                using var server = ca.IssueServer("localhost", ["localhost"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);
                server.WritePem(set.ServerCertificate, set.ServerKey);
            }

            return ca;
        }
        catch
        {
            ca.Dispose();
            throw;
        }
    }

    private static DevCertificateAuthority NewAuthority(DevCertificateSet set, TimeProvider? time)
    {
        var ca = DevCertificateAuthority.Create("ShelfAgent Dev CA", KeyKind.EcP256, time);
        ca.WritePem(set.CaCertificate, set.CaKey);
        return ca;
    }
}

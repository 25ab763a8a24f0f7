using ShelfAgent.Hardware.Linux;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>
/// Gives the installed files the owners certs/README.md states when run as root and the service user exists:
/// the key <c>shelf-agent:shelf-agent</c> (it must read it; 0600), the certificate <c>root:shelf-agent</c> (0640).
/// As anyone else the files stay the caller's (they are the caller's identity then, e.g. in development).
/// </summary>
public static class ServiceFileOwner
{
    /// <summary>The systemd unit's <c>User=</c>.</summary>
    public const string ServiceUser = "shelf-agent";

    /// <summary>Applies the owners; returns what it did, or null when nothing was changed.</summary>
    public static string? Apply(string certificate, string key)
    {
        if (!OperatingSystem.IsLinux() || !string.Equals(Environment.UserName, "root", StringComparison.Ordinal) || Ids(ServiceUser) is not { } ids)
        {
            return null;
        }

        if (Libc.Chown(key, ids.Uid, ids.Gid) != 0 || Libc.Chown(certificate, 0, ids.Gid) != 0)
        {
            throw new IOException($"cannot give {key} to {ServiceUser} (chown failed, errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }

        return $"key owned by {ServiceUser}, certificate by root:{ServiceUser}";
    }

    /// <summary>The certificate folder <c>root:shelf-agent</c> (0750), when run as root and the user exists.</summary>
    public static void ApplyFolder(string folder)
    {
        if (OperatingSystem.IsLinux() && string.Equals(Environment.UserName, "root", StringComparison.Ordinal) && Ids(ServiceUser) is { } ids)
        {
            Libc.Chown(folder, 0, ids.Gid);
        }
    }

    private static (int Uid, int Gid)? Ids(string name)
    {
        if (!File.Exists("/etc/passwd"))
        {
            return null;
        }

        var fields = File.ReadLines("/etc/passwd").Select(line => line.Split(':')).FirstOrDefault(f => f.Length > 3 && f[0] == name);
        return fields is not null && int.TryParse(fields[2], out var uid) && int.TryParse(fields[3], out var gid) ? (uid, gid) : null;
    }
}

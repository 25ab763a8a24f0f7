using System.Diagnostics;
using ShelfAgent.Config;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// Answers "can the service write here?" as the user the systemd unit runs it as (<c>User=shelf-agent</c>),
/// not as whoever runs <c>doctor</c>: a technician under sudo is root, and root can write almost anywhere.
/// As root it asks <c>setpriv</c> (util-linux) to try as that user; otherwise it tries as itself. Either way
/// <see cref="Who"/> says whose access was checked.
/// </summary>
public sealed class ServiceUserAccess
{
    /// <summary>The unit's <c>User=</c> (systemd/shelf-agent.service).</summary>
    public const string DefaultServiceUser = "shelf-agent";

    private static readonly string[] SetprivPaths = ["/usr/bin/setpriv", "/bin/setpriv"];

    private readonly string? _asUser;
    private readonly (string Uid, string Gid) _ids;

    private ServiceUserAccess(string? asUser, string who, (string, string) ids = default)
    {
        _asUser = asUser;
        _ids = ids;
        Who = who;
    }

    /// <summary>Whose access the checks test, for the finding's text (e.g. "as user shelf-agent").</summary>
    public string Who { get; }

    /// <summary>
    /// Checks as <paramref name="requested"/> when given; otherwise as the service user when run as root and that
    /// user exists, else as the current user (and <see cref="Who"/> says why).
    /// </summary>
    public static ServiceUserAccess Create(string? requested)
    {
        var me = Environment.UserName;
        var root = string.Equals(me, "root", StringComparison.Ordinal);
        var setpriv = SetprivPaths.FirstOrDefault(File.Exists);
        var wanted = requested ?? DefaultServiceUser;
        if (string.Equals(wanted, me, StringComparison.Ordinal))
        {
            return new ServiceUserAccess(null, $"as user {me}");
        }

        if (Ids(wanted) is not { } ids)
        {
            return new ServiceUserAccess(
                null, $"as user {me} (user {wanted} does not exist on this machine{(requested is null ? ": the service is not installed yet?" : "")})");
        }

        if (!root || setpriv is null)
        {
            return new ServiceUserAccess(
                null, $"as user {me} (checking as {wanted} needs {(root ? "setpriv from util-linux" : "root: run sudo shelf-agent doctor")})");
        }

        return new ServiceUserAccess(wanted, $"as user {wanted}", ids);
    }

    /// <summary>Null when a file at <paramref name="filePath"/> can be created or written by the checked user; otherwise why not.</summary>
    public NotWritable? WhyNotWritable(string filePath)
    {
        if (_asUser is null)
        {
            return FolderAccess.WhyNotWritable(filePath);
        }

        // Path resolution runs as the user too, so a folder on the way that the user cannot enter shows here.
        var full = Path.GetFullPath(filePath);
        var folder = Path.GetDirectoryName(full) ?? "/";
        var existing = folder;
        while (!Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing) ?? "/";
        }

        // A read-only mount is the same for every user, and test -w would only say "no" to it.
        if (FolderAccess.ReadOnly(full, folder, existing) is { } readOnly)
        {
            return readOnly;
        }

        if (!Test(existing, "-w", "-x"))
        {
            return new NotWritable(existing == folder
                ? $"permission denied: cannot create files in {existing}"
                : $"permission denied: cannot create {folder} (its nearest existing folder {existing} is not writable)");
        }

        return File.Exists(full) && !Test(full, "-w")
            ? new NotWritable($"permission denied: {full} exists but cannot be written (its owner or mode is wrong: chown {_asUser} {full})")
            : null;
    }

    private bool Test(string path, params string[] flags)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "--reuid", _ids.Uid, "--regid", _ids.Gid, "--init-groups", "--", "test" })
        {
            start.ArgumentList.Add(arg);
        }

        for (var i = 0; i < flags.Length; i++)
        {
            if (i > 0)
            {
                start.ArgumentList.Add("-a");
            }

            start.ArgumentList.Add(flags[i]);
            start.ArgumentList.Add(path);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode == 0;
    }

    /// <summary>The user's uid and primary gid from /etc/passwd (name:x:uid:gid:…), or null.</summary>
    private static (string Uid, string Gid)? Ids(string name)
    {
        if (!File.Exists("/etc/passwd"))
        {
            return null;
        }

        var fields = File.ReadLines("/etc/passwd").Select(line => line.Split(':')).FirstOrDefault(f => f.Length > 3 && f[0] == name);
        return fields is null ? null : (fields[2], fields[3]);
    }
}

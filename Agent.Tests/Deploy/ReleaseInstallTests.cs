namespace ShelfAgent.Tests.Deploy;

/// <summary>
/// release/build.sh makes the archive; its install.sh, run in a throw-away root (<c>--root DIR</c>), creates the user,
/// the folders, files and links with their owners and modes, and a second run changes nothing; the installed units
/// pass <c>systemd-analyze verify</c>; uninstall.sh keeps the buffer and the identity unless <c>--purge</c>. The
/// binary in the archive is a stand-in (the Native AOT publish is CI's own step, .ci/run).
/// </summary>
public sealed class ReleaseInstallTests : IDisposable
{
    private readonly TempDirectory _dir = new("release");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Install_creates_the_tree_with_owners_and_modes_and_a_second_run_changes_nothing()
    {
        var (installer, version) = await UnpackedReleaseAsync();
        var root = ThrowAwayRoot(withGroups: ["gpio"]);

        var first = await Shell.OkAsync(
            installer, "--root", root, "--thing", "shelf-t1", "--store", "store-t1", "--endpoint", "abc-ats.iot.eu-west-1.amazonaws.com");
        var second = await Shell.OkAsync(installer, "--root", root, "--thing", "shelf-t1", "--store", "store-t1");

        Assert.Contains("created user shelf-agent", first, StringComparison.Ordinal);
        Assert.Contains("group i2c does not exist here", first, StringComparison.Ordinal);
        Assert.Contains("nothing changed", second, StringComparison.Ordinal);
        Assert.Contains("kept the existing /etc/shelf-agent/agent.json", second, StringComparison.Ordinal);
        var uid = IdOf(root, "passwd");
        var gid = IdOf(root, "group");
        Assert.Contains("gpio:x:997:shelf-agent", await File.ReadAllTextAsync(Path.Combine(root, "etc/group")), StringComparison.Ordinal);
        Expect(root, "/opt/shelf-agent", 0, gid, "775");
        Expect(root, "/opt/shelf-agent/releases", uid, gid, "755");
        Expect(root, $"/opt/shelf-agent/releases/{version}/shelf-agent", 0, 0, "755");
        Expect(root, $"/opt/shelf-agent/releases/{version}/certs/AmazonRootCA1.pem", 0, 0, "644");
        Expect(root, "/etc/shelf-agent", 0, gid, "750");
        Expect(root, "/etc/shelf-agent/certs", 0, gid, "750");
        Expect(root, "/etc/shelf-agent/agent.json", 0, gid, "640");
        Expect(root, "/var/lib/shelf-agent", uid, gid, "700");
        Expect(root, "/etc/systemd/system/shelf-agent.service", 0, 0, "644");
        Expect(root, "/etc/systemd/journald.conf.d/shelf-agent.conf", 0, 0, "644");
        Assert.Equal($"releases/{version}", new FileInfo(Path.Combine(root, "opt/shelf-agent/current")).LinkTarget);
        Assert.Equal("/opt/shelf-agent/current/shelf-agent", new FileInfo(Path.Combine(root, "usr/local/bin/shelf-agent")).LinkTarget);
        var config = await File.ReadAllTextAsync(Path.Combine(root, "etc/shelf-agent/agent.json"));
        Assert.Contains("\"ThingName\": \"shelf-t1\"", config, StringComparison.Ordinal);
        Assert.Contains("\"Host\": \"abc-ats.iot.eu-west-1.amazonaws.com\"", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_installed_units_pass_systemd_analyze_verify()
    {
        var (installer, _) = await UnpackedReleaseAsync();
        var root = ThrowAwayRoot(withGroups: []);
        await Shell.OkAsync(installer, "--root", root);

        // verify wants the executables where the units name them: the same units, pointed into the throw-away root.
        var units = Directory.CreateDirectory(_dir.File("units")).FullName;
        foreach (var unit in Directory.GetFiles(Path.Combine(root, "etc/systemd/system"), "*.service"))
        {
            var text = (await File.ReadAllTextAsync(unit)).Replace("/opt/shelf-agent", Path.Combine(root, "opt/shelf-agent"), StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(units, Path.GetFileName(unit)), text);
        }

        var (code, output) = await Shell.RunAsync(
            "systemd-analyze", "verify", Path.Combine(units, "shelf-agent.service"), Path.Combine(units, "shelf-agent-rollback.service"));
        Assert.True(code == 0 && output.Trim().Length == 0, output);
    }

    [Fact]
    public async Task Uninstall_keeps_the_buffer_and_identity_unless_purge()
    {
        var (installer, _) = await UnpackedReleaseAsync();
        var uninstaller = Path.Combine(Path.GetDirectoryName(installer)!, "uninstall.sh");
        var root = ThrowAwayRoot(withGroups: []);
        await Shell.OkAsync(installer, "--root", root, "--thing", "shelf-t2", "--store", "store-t2");
        await File.WriteAllTextAsync(Path.Combine(root, "var/lib/shelf-agent/outbox.db"), "buffer");

        await Shell.OkAsync(uninstaller, "--root", root);
        Assert.False(Directory.Exists(Path.Combine(root, "opt/shelf-agent")));
        Assert.False(File.Exists(Path.Combine(root, "etc/systemd/system/shelf-agent.service")));
        Assert.False(File.Exists(Path.Combine(root, "etc/systemd/journald.conf.d/shelf-agent.conf")));
        Assert.True(File.Exists(Path.Combine(root, "var/lib/shelf-agent/outbox.db")));
        Assert.True(File.Exists(Path.Combine(root, "etc/shelf-agent/agent.json")));

        await Shell.OkAsync(uninstaller, "--root", root, "--purge");
        Assert.False(Directory.Exists(Path.Combine(root, "var/lib/shelf-agent")));
        Assert.False(Directory.Exists(Path.Combine(root, "etc/shelf-agent")));
        Assert.DoesNotContain("shelf-agent", await File.ReadAllTextAsync(Path.Combine(root, "etc/passwd")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_archive_carries_a_manifest_that_install_checks()
    {
        var (installer, _) = await UnpackedReleaseAsync();
        await File.AppendAllTextAsync(Path.Combine(Path.GetDirectoryName(installer)!, "agent.json.example"), " ");

        var (code, output) = await Shell.RunAsync(installer, "--root", ThrowAwayRoot(withGroups: []));

        Assert.Equal(65, code);
        Assert.Contains("SHA256SUMS does not match", output, StringComparison.Ordinal);
    }

    /// <summary>Builds the archive with release/build.sh from a stand-in publish folder, checks its .sha256, unpacks it.</summary>
    private async Task<(string Installer, string Version)> UnpackedReleaseAsync()
    {
        var publish = Directory.CreateDirectory(_dir.File("publish")).FullName;
        await File.WriteAllTextAsync(Path.Combine(publish, "shelf-agent"), "#!/bin/sh\necho shelf-agent stand-in\n");
        await File.WriteAllTextAsync(Path.Combine(publish, "libe_sqlite3.so"), "stand-in");
        const string version = "9.8.7";
        var output = await Shell.OkAsync(
            Path.Combine(RepoPaths.Root, "release", "build.sh"),
            "--rid", "linux-x64", "--version", version, "--publish-dir", publish, "--out", _dir.File("out"));
        var archive = output.Split('\n')[0].Trim();
        Assert.Equal($"shelf-agent-{version}-linux-x64.tar.gz", Path.GetFileName(archive));
        var check = await Shell.RunAsync("sh", "-c", $"cd '{_dir.File("out")}' && sha256sum -c '{Path.GetFileName(archive)}.sha256'");
        Assert.Equal(0, check.ExitCode);
        var unpacked = Directory.CreateDirectory(_dir.File("unpacked")).FullName;
        await Shell.OkAsync("tar", "xzf", archive, "-C", unpacked);
        return (Path.Combine(unpacked, $"shelf-agent-{version}", "install.sh"), version);
    }

    private string ThrowAwayRoot(string[] withGroups)
    {
        var root = Directory.CreateDirectory(_dir.File("root-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        var etc = Directory.CreateDirectory(Path.Combine(root, "etc")).FullName;
        File.WriteAllText(Path.Combine(etc, "passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(Path.Combine(etc, "shadow"), "root:*:19000:0:99999:7:::\n");
        File.WriteAllText(Path.Combine(etc, "group"), "root:x:0:\n" + string.Concat(withGroups.Select(g => $"{g}:x:997:\n")));
        File.WriteAllText(Path.Combine(etc, "gshadow"), "root:*::\n" + string.Concat(withGroups.Select(g => $"{g}:!::\n")));
        return root;
    }

    private static int IdOf(string root, string file) => int.Parse(
        File.ReadAllLines(Path.Combine(root, "etc", file)).Single(l => l.StartsWith("shelf-agent:", StringComparison.Ordinal)).Split(':')[2],
        System.Globalization.CultureInfo.InvariantCulture);

    private static void Expect(string root, string path, int uid, int gid, string mode)
    {
        var full = root + path;
        var (code, output) = Shell.RunAsync("stat", "-c", "%u:%g:%a", full).GetAwaiter().GetResult();
        Assert.True(code == 0, output);
        Assert.Equal($"{uid}:{gid}:{mode}", output.Trim());
    }
}

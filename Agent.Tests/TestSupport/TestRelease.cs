using System.Security.Cryptography;
using ShelfAgent.Composition;

namespace ShelfAgent.Tests.TestSupport;

/// <summary>
/// Releases for the agent-update tests: archives made by release/build.sh, and <c>shelf-agent</c> launchers that run
/// this build's agent as a given release (<see cref="UpdateComposition.TestVersionVariable"/>), so a real process can be
/// updated from one "release" to another and killed in between.
/// </summary>
public static class TestRelease
{
    /// <summary>
    /// A <c>shelf-agent</c> for release <paramref name="version"/>: a shell launcher that execs the build output (the
    /// tests' shelf-agent.dll) as that version, with <paramref name="environment"/> lines (<c>NAME=value</c>) added.
    /// </summary>
    public static string Launcher(string version, params string[] environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "shelf-agent.dll");
        var exports = string.Concat(environment.Select(e => $"export {e}\n"));
        return $"#!/bin/sh\n# shelf-agent {version} for the tests: this build taken for release {version}\n" +
               $"export {UpdateComposition.TestVersionVariable}={version}\n{exports}exec dotnet \"{dll}\" \"$@\"\n";
    }

    /// <summary>
    /// An install tree as install.sh lays it out, under <paramref name="install"/>: <c>releases/&lt;version&gt;/shelf-agent</c>
    /// holding <paramref name="binary"/> (executable) and <c>current</c> pointing at it.
    /// </summary>
    public static void Install(string install, string version, string binary)
    {
        var folder = Directory.CreateDirectory(Path.Combine(install, "releases", version)).FullName;
        var executable = Path.Combine(folder, "shelf-agent");
        File.WriteAllText(executable, binary);
        File.SetUnixFileMode(executable, (UnixFileMode)0b111_101_101);
        File.CreateSymbolicLink(Path.Combine(install, "current"), "releases/" + version);
    }

    /// <summary>
    /// The archive release/build.sh makes for <paramref name="version"/> with <paramref name="binary"/> as its
    /// <c>shelf-agent</c> (and a stand-in libe_sqlite3.so), built in <paramref name="folder"/>: its bytes.
    /// </summary>
    public static async Task<byte[]> ArchiveAsync(string folder, string version, string binary)
    {
        var publish = Directory.CreateDirectory(Path.Combine(folder, "publish-" + version)).FullName;
        await File.WriteAllTextAsync(Path.Combine(publish, "shelf-agent"), binary);
        await File.WriteAllTextAsync(Path.Combine(publish, "libe_sqlite3.so"), "stand-in");
        var output = await Shell.OkAsync(
            Path.Combine(RepoPaths.Root, "release", "build.sh"),
            "--rid", "linux-x64", "--version", version, "--publish-dir", publish, "--out", Path.Combine(folder, "out-" + version));
        return await File.ReadAllBytesAsync(output.Split('\n')[0].Trim());
    }

    /// <summary>The SHA-256 of <paramref name="bytes"/> as a job carries it (lower-case hex).</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

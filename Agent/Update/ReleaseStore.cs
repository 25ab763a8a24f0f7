using System.Formats.Tar;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ShelfAgent.Update;

/// <summary>
/// The install folder install.sh makes (<c>Update:InstallPath</c>, /opt/shelf-agent): <c>releases/&lt;version&gt;</c> side
/// by side and the <c>current</c> link the unit's ExecStart goes through. A release is unpacked into a temporary folder,
/// checked against its own SHA256SUMS and VERSION, then renamed into place whole; <c>current</c> is switched by renaming
/// a new link over it (rename(2) is atomic: a start sees the old or the new release, never neither).
/// </summary>
/// <param name="installPath">The install folder.</param>
public sealed class ReleaseStore(string installPath)
{
    /// <summary>The <c>current</c> link.</summary>
    public string CurrentLink { get; } = Path.Combine(installPath, "current");

    /// <summary>The folder of <paramref name="version"/>.</summary>
    public string FolderOf(string version) => Path.Combine(installPath, "releases", version);

    /// <summary>The version <c>current</c> points at (<c>releases/&lt;version&gt;</c>), or null when there is no link.</summary>
    public string? CurrentVersion()
    {
        var target = new FileInfo(CurrentLink).LinkTarget;
        return target is null ? null : Path.GetFileName(target.TrimEnd('/'));
    }

    /// <summary>True when <paramref name="version"/> is unpacked whole (its folder appears only after the checks).</summary>
    public bool Has(string version) => File.Exists(Path.Combine(FolderOf(version), "shelf-agent"));

    /// <summary>
    /// Unpacks the verified archive into <c>releases/&lt;version&gt;</c> unless it is there already. The archive holds one
    /// folder <c>shelf-agent-&lt;version&gt;/</c>; its VERSION must be <paramref name="version"/> and every file must match
    /// its SHA256SUMS, or nothing is installed.
    /// </summary>
    /// <exception cref="InvalidDataException">The archive is not the release the job named.</exception>
    public async Task UnpackAsync(string archive, string version, CancellationToken cancellationToken)
    {
        if (Has(version))
        {
            return;
        }

        var releases = Path.Combine(installPath, "releases");
        var staging = Path.Combine(releases, $".{version}.unpacking");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true); // left by a killed run: start again from the verified archive
        }

        Directory.CreateDirectory(staging);
        var source = File.OpenRead(archive);
        await using (source.ConfigureAwait(false))
        {
            var gzip = new GZipStream(source, CompressionMode.Decompress);
            await using (gzip.ConfigureAwait(false))
            {
                // Refuses entries that would land outside the staging folder (TarFile's own check).
                await TarFile.ExtractToDirectoryAsync(gzip, staging, overwriteFiles: false, cancellationToken).ConfigureAwait(false);
            }
        }

        var top = Path.Combine(staging, $"shelf-agent-{version}");
        if (!Directory.Exists(top))
        {
            throw new InvalidDataException($"the archive has no folder shelf-agent-{version}/ (is it the release the job names?)");
        }

        var versionFile = Path.Combine(top, "VERSION");
        var said = File.Exists(versionFile) ? (await File.ReadAllTextAsync(versionFile, cancellationToken).ConfigureAwait(false)).Trim() : "";
        if (said != version)
        {
            throw new InvalidDataException($"the archive's VERSION is '{said}', the job says '{version}'");
        }

        await CheckManifestAsync(top, cancellationToken).ConfigureAwait(false);
        var target = FolderOf(version);
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true); // incomplete (no binary): a leftover, never the running release
        }

        Directory.Move(top, target);
        Directory.Delete(staging, recursive: true);
    }

    /// <summary>Points <c>current</c> at <paramref name="version"/> by renaming a new link over it.</summary>
    public void Switch(string version)
    {
        var next = CurrentLink + ".next";
        File.Delete(next);
        File.CreateSymbolicLink(next, Path.Combine("releases", version));
        // rename(2) replaces the old link in one step; then the folder is synced so the switch survives a power cut.
        if (Hardware.Linux.Libc.Rename(next, CurrentLink) != 0)
        {
            throw new IOException($"cannot switch {CurrentLink} to releases/{version}: errno {Marshal.GetLastPInvokeError()}");
        }

        var folder = Hardware.Linux.Libc.Open(installPath, Hardware.Linux.Libc.O_RDONLY | Hardware.Linux.Libc.O_CLOEXEC);
        if (folder >= 0)
        {
            Hardware.Linux.Libc.Fsync(folder);
            Hardware.Linux.Libc.Close(folder);
        }
    }

    /// <summary>Removes a release unless <c>current</c> points at it (a refused update's leftovers).</summary>
    public void Remove(string version)
    {
        if (CurrentVersion() != version && Directory.Exists(FolderOf(version)))
        {
            Directory.Delete(FolderOf(version), recursive: true);
        }
    }

    private static async Task CheckManifestAsync(string folder, CancellationToken cancellationToken)
    {
        var manifest = Path.Combine(folder, "SHA256SUMS");
        if (!File.Exists(manifest))
        {
            throw new InvalidDataException("the archive has no SHA256SUMS");
        }

        var listed = 0;
        foreach (var line in await File.ReadAllLinesAsync(manifest, cancellationToken).ConfigureAwait(false))
        {
            // sha256sum's format: 64 hex digits, two spaces (or space and '*'), the relative path.
            if (line.Length < 67)
            {
                continue;
            }

            var expected = line[..64];
            var relative = line[66..];
            var file = Path.GetFullPath(Path.Combine(folder, relative));
            if (!file.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
            {
                throw new InvalidDataException($"SHA256SUMS names {relative}, which the archive does not hold");
            }

            var stream = File.OpenRead(file);
            await using (stream.ConfigureAwait(false))
            {
                var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
                if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidDataException($"{relative} does not match the archive's SHA256SUMS");
                }
            }

            listed++;
        }

        if (listed == 0 || !File.Exists(Path.Combine(folder, "shelf-agent")))
        {
            throw new InvalidDataException("the archive holds no shelf-agent executable listed in SHA256SUMS");
        }
    }
}

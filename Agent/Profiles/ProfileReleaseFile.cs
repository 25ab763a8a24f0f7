using ShelfAgent.Contract;
using ShelfAgent.Storage;

namespace ShelfAgent.Profiles;

/// <summary>
/// The profile release a device runs: the verified artifact, kept as it was signed in <c>profiles/release.json</c> beside the
/// buffer (/var/lib/shelf-agent on a device), replaced atomically and durably, so the release applies again after a restart
/// or a power cut. Downloads in progress live in the same folder (named by their SHA-256).
/// </summary>
/// <param name="directory">The folder (<c>profiles/</c> beside the buffer).</param>
public sealed class ProfileReleaseFile(string directory)
{
    /// <summary>The file's name.</summary>
    public const string FileName = "release.json";

    /// <summary>The folder beside <paramref name="bufferPath"/>.</summary>
    public static string Beside(string bufferPath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(bufferPath)) ?? ".", "profiles");

    /// <summary>The folder (downloads go here too).</summary>
    public string Directory { get; } = directory;

    /// <summary>The file.</summary>
    public string Path { get; } = System.IO.Path.Combine(directory, FileName);

    /// <summary>The release kept, or null when there is none or it is unusable (then the problem says why).</summary>
    public async Task<(ProfileRelease? Release, string? Problem)> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return (null, null);
        }

        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(Path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read the profile release {Path}: {e.Message}; running without it");
        }

        return ProfileReleaseParser.TryParse(bytes, out var release, out var problem)
            ? (release, null)
            : (null, $"the profile release {Path} is unusable ({problem}); running without it");
    }

    /// <summary>Keeps <paramref name="artifact"/> (the verified bytes) as the release in use.</summary>
    public Task SaveAsync(ReadOnlyMemory<byte> artifact, CancellationToken cancellationToken) =>
        DurableFile.WriteAsync(Path, artifact, DurableFile.Private, cancellationToken);

    /// <summary>Forgets the release (a withdrawal: the device's own learning and the other profiles apply again).</summary>
    public void Delete() => DurableFile.Delete(Path);
}

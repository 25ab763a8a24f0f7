using ShelfAgent.Artifacts;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// <c>{"operation":"profiles-update","release":"r-…","url":"https://…","size":N,"sha256":"…","signature":"…","keyId":"…"}</c>:
/// fetch the store's <c>shelf.profile.release.v1</c> artifact, check it against <c>Profiles:TrustedKeys</c>, keep it in the
/// state folder and run this thing's slots on its profiles from the next sampling round (docs/jobs.md,
/// <c>profiles-update</c>).
/// </summary>
/// <param name="Release">The release id (the artifact must say the same).</param>
/// <param name="Artifact">The artifact: URL, size, SHA-256, signature and optional key id.</param>
public sealed record ProfilesUpdateJob(string Release, ArtifactSpec Artifact) : JobDocument
{
    /// <summary>The operation's name on the wire.</summary>
    public const string Name = "profiles-update";

    /// <inheritdoc />
    public override string Operation => Name;
}

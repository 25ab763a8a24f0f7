using ShelfAgent.Artifacts;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// <c>{"operation":"agent-update","version":"1.4.0","url":"https://…","size":N,"sha256":"…","signature":"…","keyId":"…",
/// "allowDowngrade":false}</c>: fetch the release archive, check it against the fleet's update keys, unpack it beside the
/// running release, switch <c>current</c> and restart; the new version commits after its health window or rolls back
/// (docs/jobs.md, <c>agent-update</c>).
/// </summary>
/// <param name="Version">The release's version (the archive's VERSION must say the same).</param>
/// <param name="Archive">The archive: URL, size, SHA-256, signature and optional key id.</param>
/// <param name="AllowDowngrade">Accept a version older than the running one (a deliberate downgrade).</param>
public sealed record AgentUpdateJob(string Version, ArtifactSpec Archive, bool AllowDowngrade) : JobDocument
{
    /// <summary>The operation's name on the wire.</summary>
    public const string Name = "agent-update";

    /// <inheritdoc />
    public override string Operation => Name;
}

namespace ShelfAgent.Update;

/// <summary>
/// How far an <c>agent-update</c> got, persisted in <c>update.state</c> before each step's effect becomes visible, so
/// a restart at any point (SIGKILL included) finishes or rolls back the update. Wire words in <see cref="UpdateRecord"/>.
/// </summary>
public enum UpdatePhase
{
    /// <summary><c>fetching</c>: the archive is being downloaded (resumed after a restart) and verified.</summary>
    Fetching,
    /// <summary><c>unpacked</c>: releases/&lt;new&gt; is complete beside the running release; <c>current</c> not yet switched.</summary>
    Unpacked,
    /// <summary><c>switched</c>: <c>current</c> points at the new release (or is about to); the new version is on trial.</summary>
    Switched,
    /// <summary><c>committed</c>: the new version passed its health window; the job reports SUCCEEDED.</summary>
    Committed,
    /// <summary><c>rolled-back</c>: <c>current</c> points at the previous release again; the job reports FAILED with the reason.</summary>
    RolledBack,
}

namespace ShelfAgent.Diagnostics;

/// <summary>What <c>doctor</c> was asked to do.</summary>
/// <param name="Connect">False skips the broker connection (it briefly disconnects a running agent).</param>
/// <param name="ConfigWarnings">The loader's unknown-key warnings: the same lines <c>run</c> logs at start.</param>
/// <param name="Access">Whose file access the buffer and log checks test.</param>
public sealed record DoctorRequest(bool Connect, IReadOnlyList<string> ConfigWarnings, ServiceUserAccess Access);

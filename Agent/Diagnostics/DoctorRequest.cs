using ShelfAgent.Hardware;

namespace ShelfAgent.Diagnostics;

/// <summary>What <c>doctor</c> was asked to do.</summary>
/// <param name="Connect">False skips the broker connection and the round trip (they briefly disconnect a running agent).</param>
/// <param name="ConfigWarnings">The loader's unknown-key warnings: the same lines <c>run</c> logs at start.</param>
/// <param name="Access">Whose file access the buffer and log checks test.</param>
/// <param name="Hardware">The buses the sensor check probes; null: the real Linux buses.</param>
/// <param name="FallbackPort">
/// Where the broker check tries ALPN when the configured port is blocked: 443 (AWS IoT Core's), a test's stand-in otherwise.
/// </param>
public sealed record DoctorRequest(
    bool Connect, IReadOnlyList<string> ConfigWarnings, ServiceUserAccess Access, IHardwareAccess? Hardware = null, int FallbackPort = 443);

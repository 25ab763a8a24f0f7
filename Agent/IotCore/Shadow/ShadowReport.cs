using System.Text.Json.Nodes;
using ShelfAgent.Config.Runtime;
using ShelfAgent.Stock;

namespace ShelfAgent.IotCore.Shadow;

/// <summary>
/// What the device reports in its shadow (issue 14, kept small: a few hundred bytes per slot at most; docs/shadow.md
/// lists the fields). <see cref="Settings"/> mirrors the remotely settable keys in agent.json's shape, so an accepted
/// desired value clears the delta; the rest goes under <c>device</c>.
/// </summary>
/// <param name="Settings">The effective values of the settable keys (<c>{"Sampling":{"IntervalMs":1000},…,"Slots":{"A1":{…}}}</c>).</param>
/// <param name="AgentVersion">The agent's version.</param>
/// <param name="ConfigHash">Hash of the effective configuration.</param>
/// <param name="LastConfigError">The last refused change (<c>key: reason</c>), null after a fully accepted one.</param>
/// <param name="Refused">Refused keys of the last change and why.</param>
/// <param name="Slots">Per-slot state.</param>
/// <param name="Buffer">The outbox's depth and age; null when not read.</param>
/// <param name="CertificateExpires">When the device certificate expires; null when unknown.</param>
/// <param name="ClockTrusted">False while the clock is behind the time floor or not synchronised.</param>
/// <param name="Restarts">How earlier runs ended (<c>device.restarts</c>); null when not counted (a test host).</param>
/// <param name="Profiles">The profile release in use (<c>device.profiles</c>); null when none (or not reported: a test host).</param>
public sealed record ShadowReport(
    JsonObject Settings,
    string AgentVersion,
    string ConfigHash,
    string? LastConfigError,
    IReadOnlyList<ConfigKeyResult> Refused,
    IReadOnlyList<SlotSnapshot> Slots,
    BufferReport? Buffer,
    DateTimeOffset? CertificateExpires,
    bool ClockTrusted,
    RestartReport? Restarts = null,
    ProfilesReport? Profiles = null);

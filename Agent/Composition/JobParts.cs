using ShelfAgent.Diagnostics;
using ShelfAgent.Fleet.Shadow;

namespace ShelfAgent.Composition;

/// <summary>What the job operations run on; each is optional (a missing engine means that operation is not offered).</summary>
/// <param name="ConfigApplier">config-update's applier (the shadow's runtime configuration).</param>
/// <param name="RecentLog">The recent warning/error lines for report-diagnostics.</param>
/// <param name="UploadHandler">The HTTP handler for the diagnostics upload; null: the system's trust store (tests give one that trusts their CA).</param>
public sealed record JobParts(IConfigApplier? ConfigApplier = null, RecentLogLines? RecentLog = null, HttpMessageHandler? UploadHandler = null);

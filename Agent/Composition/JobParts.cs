using ShelfAgent.Config.Runtime;
using ShelfAgent.IotCore.Jobs;

namespace ShelfAgent.Composition;

/// <summary>What the job operations run on; each is optional (a missing one means that operation is not offered).</summary>
/// <param name="ConfigApplier">config-update's applier (the shadow's runtime configuration).</param>
/// <param name="Operations">Operations built above the composition (report-diagnostics needs the doctor, which sits above it).</param>
public sealed record JobParts(IConfigApplier? ConfigApplier = null, IReadOnlyList<IJobOperation>? Operations = null);

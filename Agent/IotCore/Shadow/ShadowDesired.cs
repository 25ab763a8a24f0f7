using System.Text.Json.Nodes;

namespace ShelfAgent.IotCore.Shadow;

/// <summary>Desired state the device has to act on, from <c>/update/delta</c> or <c>/get/accepted</c>.</summary>
/// <param name="Version">The shadow document's version (AWS increments it on every update).</param>
/// <param name="Delta">The desired keys that differ from reported (null: nothing to do).</param>
/// <param name="DesiredBytes">Size of the whole desired section (counts against the 8 KB state limit; 0 when unknown).</param>
public sealed record ShadowDesired(long Version, JsonObject? Delta, int DesiredBytes);

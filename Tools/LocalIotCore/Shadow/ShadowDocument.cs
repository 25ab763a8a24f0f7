using System.Text.Json.Nodes;

namespace ShelfAgent.LocalIot.Shadow;

/// <summary>One thing's classic shadow: desired, reported, their metadata and the version (1 after the first update).</summary>
public sealed class ShadowDocument
{
    public JsonObject Desired { get; set; } = [];

    public JsonObject Reported { get; set; } = [];

    public JsonObject DesiredMetadata { get; set; } = [];

    public JsonObject ReportedMetadata { get; set; } = [];

    public long Version { get; set; }

    /// <summary>The document as get/accepted and update/documents show it (state with delta, metadata, version).</summary>
    public JsonObject ToJson(bool withDelta)
    {
        var state = new JsonObject();
        if (Desired.Count > 0)
        {
            state["desired"] = Desired.DeepClone();
        }

        if (Reported.Count > 0)
        {
            state["reported"] = Reported.DeepClone();
        }

        var delta = ShadowState.Delta(Desired, Reported);
        if (withDelta && delta.Count > 0)
        {
            state["delta"] = delta;
        }

        var metadata = new JsonObject();
        if (DesiredMetadata.Count > 0)
        {
            metadata["desired"] = DesiredMetadata.DeepClone();
        }

        if (ReportedMetadata.Count > 0)
        {
            metadata["reported"] = ReportedMetadata.DeepClone();
        }

        return new JsonObject { ["state"] = state, ["metadata"] = metadata, ["version"] = Version };
    }

    public ShadowDocument Clone() => new()
    {
        Desired = (JsonObject)Desired.DeepClone(),
        Reported = (JsonObject)Reported.DeepClone(),
        DesiredMetadata = (JsonObject)DesiredMetadata.DeepClone(),
        ReportedMetadata = (JsonObject)ReportedMetadata.DeepClone(),
        Version = Version,
    };
}

using ShelfAgent.Cloud.Governance;
using ShelfAgent.LocalLake.Releases;

namespace ShelfAgent.LocalLake.Tests.Releases;

/// <summary>A proposed release's record as the tests write it: proposed by a data scientist, nothing counted.</summary>
internal static class TestReleaseRecords
{
    /// <summary>Release <paramref name="id"/> trained on [<paramref name="trainedFrom"/>, <paramref name="trainedTo"/>).</summary>
    public static ReleaseRecord Of(string id, DateTimeOffset created, DateOnly trainedFrom, DateOnly trainedTo, string profiles = "") => new()
    {
        Id = id,
        Created = created,
        TrainedFrom = trainedFrom,
        TrainedTo = trainedTo,
        Sources = new Dictionary<string, int>(),
        Rows = new Dictionary<string, long>(),
        CodeVersion = "test",
        ProfilesSha256 = ReleaseStore.Sha256(profiles),
        ProposedBy = new Actor("alice", ProfileMatrix.DataScientist),
    };
}

using System.Text.Json.Serialization;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>Where a release stands on the devices (<c>state</c> in rollout.json: canary, promoted, rolled-back).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RolloutState>))]
public enum RolloutState
{
    /// <summary>On the canary devices; the rest keep the release before.</summary>
    [JsonStringEnumMemberName("canary")]
    Canary,
    /// <summary>On every device.</summary>
    [JsonStringEnumMemberName("promoted")]
    Promoted,
    /// <summary>Withdrawn: the canary devices got the previous release back.</summary>
    [JsonStringEnumMemberName("rolled-back")]
    RolledBack,
}

/// <summary>The rollout of an approved release (docs/models.md): which devices run it, against which previous release, and the watch's verdict.</summary>
public sealed record RolloutRecord
{
    /// <summary>Release id.</summary>
    public required string Release { get; init; }

    /// <summary>The release the other devices keep (and the canary gets back on a rollback); null: the devices' own learning.</summary>
    public string? Previous { get; init; }

    /// <summary>State.</summary>
    public required RolloutState State { get; init; }

    /// <summary>The canary devices (thing names).</summary>
    public required IReadOnlyList<string> Canary { get; init; }

    /// <summary>The other devices.</summary>
    public required IReadOnlyList<string> Rest { get; init; }

    /// <summary>When the canary started (UTC).</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When the watch decided (UTC); null while the canary runs.</summary>
    public DateTimeOffset? Decided { get; init; }

    /// <summary>Why the watch decided as it did.</summary>
    public string? Reason { get; init; }

    /// <summary>The state as rollout.json spells it.</summary>
    [JsonIgnore]
    public string StateName => State switch
    {
        RolloutState.Canary => "canary",
        RolloutState.Promoted => "promoted",
        _ => "rolled-back",
    };
}

namespace ShelfAgent.Update;

/// <summary>What <see cref="UpdateHealth.Decide"/> says about a new version on trial.</summary>
public enum HealthVerdict
{
    /// <summary>Not yet proven, not yet failed: look again.</summary>
    Wait,
    /// <summary>Healthy: commit the update.</summary>
    Commit,
    /// <summary>Failed its trial: roll back.</summary>
    RollBack,
}

namespace ShelfAgent.Config.Runtime;

/// <summary>Who asked for a configuration change (logged, and kept beside the persisted change).</summary>
public enum ConfigChangeSource
{
    /// <summary>The device shadow's desired state (<c>/shadow/update/delta</c> or <c>/shadow/get/accepted</c>).</summary>
    Shadow,

    /// <summary>A job with <c>"operation":"config-update"</c> (docs/jobs.md).</summary>
    Job,

    /// <summary>The persisted desired state, re-applied at start (the device booted offline or not yet connected).</summary>
    Persisted,
}

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>How a provisioning run ended; the CLI maps each to an exit code (docs in certs/README.md).</summary>
public enum ProvisioningStatus
{
    /// <summary>The device has its own identity in agent.json and it connects.</summary>
    Provisioned,

    /// <summary>agent.json already names an identity and --force was not given.</summary>
    IdentityExists,

    /// <summary>AWS rejected create-from-csr or RegisterThing (<see cref="ProvisioningResult.Error"/> says why).</summary>
    Rejected,

    /// <summary>The broker could not be reached, refused the claim, or did not answer in time.</summary>
    Unavailable,

    /// <summary>The new identity did not connect; agent.json is unchanged, running again retries.</summary>
    IdentityRefused,

    /// <summary>A file could not be written.</summary>
    FileError,
}

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>How a rotation ended. Only <see cref="Rotated"/> changed agent.json.</summary>
public enum RotationOutcome
{
    /// <summary>The new certificate connected and agent.json now names it.</summary>
    Rotated,

    /// <summary>AWS rejected create-from-csr or RegisterThing (<see cref="RotationResult.Error"/>); nothing changed.</summary>
    Rejected,

    /// <summary>The new certificate did not connect; its files were removed and the old identity stays in agent.json.</summary>
    NewCertificateRefused,

    /// <summary>No answer in time, or a file could not be written; nothing changed.</summary>
    Failed,
}

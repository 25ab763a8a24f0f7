namespace ShelfAgent.IotCore.Provisioning;

/// <summary>The next thing a (possibly resumed) provisioning run does; see <see cref="ProvisioningPlan.Next"/>.</summary>
public enum ProvisioningStep
{
    /// <summary>Generate the device key (pending.key) and start a fresh state.</summary>
    CreateKey,

    /// <summary>CreateCertificateFromCsr with the pending key's CSR.</summary>
    RequestCertificate,

    /// <summary>RegisterThing with the ownership token and the parameters.</summary>
    RegisterThing,

    /// <summary>Connect with the new identity (client id = thing name), then install the files and agent.json.</summary>
    VerifyAndInstall,

    /// <summary>Installed: remove the pending files and the state.</summary>
    CleanUp,
}

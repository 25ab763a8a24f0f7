using ShelfAgent.Security;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>What <c>shelf-agent provision</c> was asked to do.</summary>
/// <param name="ClaimCertFile">The claim certificate (shared by a batch of devices; only for the provisioning topics).</param>
/// <param name="ClaimKeyFile">Its key.</param>
/// <param name="TemplateName">The fleet provisioning template.</param>
/// <param name="Parameters">Template parameters (<c>--param Key=Value</c>).</param>
/// <param name="ConfigFile">agent.json, updated at the end.</param>
/// <param name="CertificateFolder">Where device.crt, device.key and the pending files go.</param>
/// <param name="KeyKind">The device key's algorithm.</param>
/// <param name="Force">Replace an identity agent.json already names.</param>
public sealed record ProvisioningRequest(
    string ClaimCertFile,
    string ClaimKeyFile,
    string TemplateName,
    IReadOnlyDictionary<string, string> Parameters,
    string ConfigFile,
    string CertificateFolder,
    KeyKind KeyKind,
    bool Force)
{
    /// <summary>
    /// The CSR's common name: the <c>ThingName</c> parameter when given (what a broker that maps CN to the user, as
    /// mosquitto does, needs), else <c>SerialNumber</c>, else "shelf-agent". AWS IoT ignores it.
    /// </summary>
    public string CommonName =>
        Parameters.TryGetValue("ThingName", out var thing) && thing.Length > 0 ? thing
        : Parameters.TryGetValue("SerialNumber", out var serial) && serial.Length > 0 ? serial
        : "shelf-agent";
}

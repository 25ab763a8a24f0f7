using ShelfAgent.Security;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>What <see cref="CertificateRotation.RotateAsync"/> needs.</summary>
/// <param name="Session">The device's live MQTT session: create-from-csr and RegisterThing go over it (its IoT policy must allow
/// <c>$aws/certificates/create-from-csr/*</c> and <c>$aws/provisioning-templates/TEMPLATE/provision/*</c>).</param>
/// <param name="ThingName">The device's thing name (the new certificate's CN and the test connection's client id).</param>
/// <param name="TemplateName">The rotation template (a fleet provisioning template that accepts this thing).</param>
/// <param name="Parameters">Template parameters; <c>ThingName</c> is added when absent.</param>
/// <param name="ConfigFile">agent.json, switched to the new pair only after it connected.</param>
/// <param name="CurrentCertFile">The certificate in use (the new files go beside it).</param>
/// <param name="CurrentKeyFile">The key in use.</param>
/// <param name="KeyKind">The new key's algorithm.</param>
public sealed record RotationRequest(
    IMqttSession Session,
    string ThingName,
    string TemplateName,
    IReadOnlyDictionary<string, string> Parameters,
    string ConfigFile,
    string CurrentCertFile,
    string CurrentKeyFile,
    KeyKind KeyKind = KeyKind.EcP256);

using ShelfAgent.Security;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// <c>{"operation":"rotate-certificate","templateName":"…","parameters":{…},"keyType":"ec-p256"|"rsa-2048"}</c>: a new
/// key and CSR on the device, create-from-csr and the rotation template, switch only after the new identity connected.
/// </summary>
/// <param name="TemplateName">The rotation provisioning template (<c>[0-9A-Za-z_-]{1,36}</c>).</param>
/// <param name="Parameters">Template parameters besides those the rotation sets itself.</param>
/// <param name="Key">The new key's algorithm (EC P-256 unless the document asks for RSA 2048).</param>
public sealed record RotateCertificateJob(string TemplateName, IReadOnlyDictionary<string, string> Parameters, KeyKind Key) : JobDocument
{
    /// <summary>The operation's name on the wire.</summary>
    public const string Name = "rotate-certificate";

    /// <inheritdoc />
    public override string Operation => Name;
}

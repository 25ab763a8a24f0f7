using System.Security.Cryptography;
using ShelfAgent.Artifacts;

namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// The local lake's profile signing key: an ECDSA P-256 key in <c>&lt;lake&gt;/keys/profiles-signing-key.pem</c> (0600),
/// made on first use — the stand-in for the KMS key <c>alias/shelf-profiles</c>. Its public half goes into the devices'
/// <c>Profiles:TrustedKeys</c>; it signs as <c>openssl dgst -sha256 -sign</c> and KMS <c>ECDSA_SHA_256</c> do (DER).
/// </summary>
public sealed class ProfileSigningKey : IDisposable
{
    private readonly ECDsa _key;

    private ProfileSigningKey(ECDsa key, string path)
    {
        _key = key;
        Path = path;
    }

    /// <summary>The private key's file.</summary>
    public string Path { get; }

    /// <summary>The public key as <c>Profiles:TrustedKeys</c> takes it (PEM).</summary>
    public string PublicPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The key id a job names it by (<see cref="TrustedKey.IdOf"/>).</summary>
    public string Id => TrustedKey.IdOf(_key.ExportSubjectPublicKeyInfo());

    /// <summary>The key of the lake at <paramref name="lakeDirectory"/>, made when there is none.</summary>
    public static ProfileSigningKey OpenOrCreate(string lakeDirectory)
    {
        var path = System.IO.Path.Combine(lakeDirectory, "keys", "profiles-signing-key.pem");
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return new ProfileSigningKey(key, path);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using (var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        return new ProfileSigningKey(key, path);
    }

    /// <summary>Base64 of the DER ECDSA P-256/SHA-256 signature over <paramref name="content"/>.</summary>
    public string Sign(byte[] content) =>
        Convert.ToBase64String(_key.SignData(content, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();
}

using System.Security.Cryptography;
using ShelfAgent.Artifacts;

namespace ShelfAgent.Tests.Artifacts;

public sealed class TrustedKeySetTests
{
    private static readonly byte[] Content = "a release archive"u8.ToArray();

    [Fact]
    public void Accepts_a_key_as_pem_or_as_base64_der_with_the_same_id()
    {
        using var key = new SigningKey();
        Assert.True(TrustedKey.TryParse(key.PublicPem, out var pem, out _));
        Assert.True(TrustedKey.TryParse(key.PublicBase64, out var der, out _));
        Assert.Equal(key.Id, pem!.Id);
        Assert.Equal(pem.Id, der!.Id);
        Assert.Equal(16, pem.Id.Length);
    }

    [Fact]
    public void Refuses_ed25519_rsa_a_private_key_and_garbage_naming_each_entry()
    {
        // An Ed25519 SubjectPublicKeyInfo (RFC 8410 §10.1's example key).
        const string ed25519 = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=";
        using var rsa = RSA.Create(2048);
        using var key = new SigningKey();
        var rsaKey = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
        TrustedKeySet.Parse([ed25519, rsaKey, key.PrivatePem, "not a key", key.PublicBase64], out var problems);

        Assert.Equal(["Update:TrustedKeys:0", "Update:TrustedKeys:1", "Update:TrustedKeys:2", "Update:TrustedKeys:3"], problems.Select(p => p.Key));
        Assert.Contains("Ed25519", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("not an ECDSA P-256", problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("PUBLIC KEY", problems[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verifies_a_signature_by_any_trusted_key_and_returns_its_id()
    {
        using var old = new SigningKey();
        using var current = new SigningKey();
        var keys = TrustedKeySet.Parse([old.PublicBase64, current.PublicPem], out _);

        Assert.Equal(current.Id, keys.Verify(SHA256.HashData(Content), current.Sign(Content), keyId: null));
        Assert.Equal(old.Id, keys.Verify(SHA256.HashData(Content), old.Sign(Content), old.Id));
    }

    [Fact]
    public void Refuses_a_key_id_not_trusted_as_an_unknown_key()
    {
        using var trusted = new SigningKey();
        using var other = new SigningKey();
        var keys = TrustedKeySet.Parse([trusted.PublicBase64], out _);

        var e = Assert.Throws<ArtifactException>(() => keys.Verify(SHA256.HashData(Content), other.Sign(Content), other.Id));

        Assert.Equal(ArtifactFailure.UnknownKey, e.Failure);
        Assert.Contains(other.Id, e.Message, StringComparison.Ordinal);
        Assert.Contains(trusted.Id, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_signature_by_another_key_or_over_other_content()
    {
        using var trusted = new SigningKey();
        using var other = new SigningKey();
        var keys = TrustedKeySet.Parse([trusted.PublicBase64], out _);

        Assert.Equal(ArtifactFailure.BadSignature, Assert.Throws<ArtifactException>(
            () => keys.Verify(SHA256.HashData(Content), other.Sign(Content), keyId: null)).Failure);
        Assert.Equal(ArtifactFailure.BadSignature, Assert.Throws<ArtifactException>(
            () => keys.Verify(SHA256.HashData(Content), trusted.Sign("another archive"u8.ToArray()), trusted.Id)).Failure);
        Assert.Equal(ArtifactFailure.BadSignature, Assert.Throws<ArtifactException>(
            () => keys.Verify(SHA256.HashData(Content), "%%%", keyId: null)).Failure);
    }

    [Fact]
    public void Accepts_the_64_byte_r_s_form_of_a_signature()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keys = TrustedKeySet.Parse([Convert.ToBase64String(ecdsa.ExportSubjectPublicKeyInfo())], out _);
        var signature = ecdsa.SignData(Content, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        Assert.Equal(keys.Ids[0], keys.Verify(SHA256.HashData(Content), Convert.ToBase64String(signature), keyId: null));
    }

    [Fact]
    public void Accepts_an_r_s_signature_when_its_first_byte_is_the_der_sequence_tag()
    {
        // One r‖s signature in 256 starts with 0x30 like a DER SEQUENCE: found by signing until one does.
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keys = TrustedKeySet.Parse([Convert.ToBase64String(ecdsa.ExportSubjectPublicKeyInfo())], out _);
        byte[] signature;
        do
        {
            signature = ecdsa.SignData(Content, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        while (signature[0] != 0x30);

        Assert.Equal(keys.Ids[0], keys.Verify(SHA256.HashData(Content), Convert.ToBase64String(signature), keyId: null));
    }

    [Fact]
    public void Refuses_everything_when_no_key_is_trusted()
    {
        using var key = new SigningKey();
        var e = Assert.Throws<ArtifactException>(() => new TrustedKeySet([]).Verify(SHA256.HashData(Content), key.Sign(Content), null));
        Assert.Contains("Update:TrustedKeys", e.Message, StringComparison.Ordinal);
    }
}

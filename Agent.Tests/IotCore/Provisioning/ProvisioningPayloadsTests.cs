using System.Text;
using System.Text.Json;
using ShelfAgent.IotCore.Provisioning;

namespace ShelfAgent.Tests.IotCore.Provisioning;

public sealed class ProvisioningPayloadsTests
{
    [Fact]
    public void CreateFromCsr_request_carries_the_csr()
    {
        using var doc = JsonDocument.Parse(
            ProvisioningPayloads.CreateFromCsrRequest("-----BEGIN CERTIFICATE REQUEST-----\nAB+/=\n-----END CERTIFICATE REQUEST-----"));
        Assert.Equal(
            "-----BEGIN CERTIFICATE REQUEST-----\nAB+/=\n-----END CERTIFICATE REQUEST-----",
            doc.RootElement.GetProperty("certificateSigningRequest").GetString());
        Assert.Single(doc.RootElement.EnumerateObject());
    }

    [Fact]
    public void RegisterThing_request_carries_token_and_parameters()
    {
        var bytes = ProvisioningPayloads.RegisterThingRequest("tok\"en", new Dictionary<string, string> { ["ThingName"] = "shelf-1", ["StoreId"] = "store-7" });

        using var doc = JsonDocument.Parse(bytes);
        Assert.Equal("tok\"en", doc.RootElement.GetProperty("certificateOwnershipToken").GetString());
        Assert.Equal("shelf-1", doc.RootElement.GetProperty("parameters").GetProperty("ThingName").GetString());
        Assert.Equal("store-7", doc.RootElement.GetProperty("parameters").GetProperty("StoreId").GetString());
    }

    [Fact]
    public void Issued_certificate_is_read_from_the_documented_fields()
    {
        var ok = ProvisioningPayloads.TryReadIssuedCertificate(
            """{"certificateId":"abc","certificatePem":"-----BEGIN CERTIFICATE-----\nX\n"""u8 +
            """-----END CERTIFICATE-----\n","certificateOwnershipToken":"t0k","extra":{"a":[1,2]}}"""u8,
            out var issued);

        Assert.True(ok);
        Assert.Equal("abc", issued.CertificateId);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----\nX", issued.CertificatePem, StringComparison.Ordinal);
        Assert.Equal("t0k", issued.OwnershipToken);
    }

    [Theory]
    [InlineData("""{"certificateId":"abc","certificatePem":"p"}""")]
    [InlineData("""{"certificateId":1,"certificatePem":"p","certificateOwnershipToken":"t"}""")]
    [InlineData("[]")]
    [InlineData("{")]
    public void Issued_certificate_without_a_field_is_not_read(string payload)
    {
        Assert.False(ProvisioningPayloads.TryReadIssuedCertificate(Encoding.UTF8.GetBytes(payload), out _));
    }

    [Fact]
    public void Registered_thing_is_read_with_its_device_configuration()
    {
        var ok = ProvisioningPayloads.TryReadRegisteredThing(
            """{"deviceConfiguration":{"Fleet":"eu","n":3,"o":{"a":1}},"thingName":"shelf-1"}"""u8, out var thing);

        Assert.True(ok);
        Assert.Equal("shelf-1", thing.ThingName);
        Assert.Equal("eu", thing.DeviceConfiguration["Fleet"]);
        Assert.Equal("3", thing.DeviceConfiguration["n"]);
        Assert.Equal("""{"a":1}""", thing.DeviceConfiguration["o"]);
    }

    [Fact]
    public void Registered_thing_without_a_name_is_not_read()
    {
        Assert.False(ProvisioningPayloads.TryReadRegisteredThing("""{"deviceConfiguration":{}}"""u8, out _));
    }

    [Theory]
    [InlineData("ShelfFleet", true)]
    [InlineData("a_b-C9", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("a/b", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456789X", false)]
    public void Template_names_follow_the_AWS_pattern(string name, bool valid)
    {
        Assert.Equal(valid, ProvisioningPayloads.IsTemplateName(name));
        if (valid)
        {
            Assert.Equal($"$aws/provisioning-templates/{name}/provision/json", ProvisioningPayloads.RegisterThingTopic(name));
        }
        else
        {
            Assert.Throws<ArgumentException>(() => ProvisioningPayloads.RegisterThingTopic(name));
        }
    }
}

using ShelfAgent.IotCore.Provisioning;
using ShelfAgent.Security;

namespace ShelfAgent.Tests.IotCore.Provisioning;

public sealed class ProvisioningPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 5, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly ProvisioningState Issued = new()
    {
        KeyKind = KeyKind.EcP256,
        CertificateId = "id",
        CertificatePem = "pem",
        OwnershipToken = "token",
        TokenReceivedAt = Now.AddMinutes(-10),
    };

    private static ProvisioningStep Next(ProvisioningState? state, KeyKind? pending = KeyKind.EcP256, KeyKind requested = KeyKind.EcP256) =>
        ProvisioningPlan.Next(state, pending, requested, Now, Hour);

    [Fact]
    public void Fresh_run_creates_a_key()
    {
        Assert.Equal(ProvisioningStep.CreateKey, Next(null, pending: null));
    }

    [Fact]
    public void Killed_after_the_key_but_before_the_state_creates_a_key_again()
    {
        Assert.Equal(ProvisioningStep.CreateKey, Next(null));
    }

    [Fact]
    public void Key_written_without_a_certificate_asks_for_one()
    {
        Assert.Equal(ProvisioningStep.RequestCertificate, Next(ProvisioningState.ForNewKey(KeyKind.EcP256)));
    }

    [Fact]
    public void Lost_key_starts_again_even_with_a_certificate()
    {
        Assert.Equal(ProvisioningStep.CreateKey, Next(Issued, pending: null));
    }

    [Fact]
    public void Issued_certificate_with_a_live_token_registers()
    {
        Assert.Equal(ProvisioningStep.RegisterThing, Next(Issued));
    }

    [Theory]
    [InlineData(56)]
    [InlineData(60)]
    [InlineData(600)]
    public void Token_near_or_past_its_hour_gets_a_new_certificate(int minutesOld)
    {
        Assert.Equal(ProvisioningStep.RequestCertificate, Next(Issued with { TokenReceivedAt = Now.AddMinutes(-minutesOld) }));
    }

    [Fact]
    public void Token_from_the_future_is_not_trusted()
    {
        // The clock moved back (a Pi without RTC): the token's age is unknown.
        Assert.Equal(ProvisioningStep.RequestCertificate, Next(Issued with { TokenReceivedAt = Now.AddHours(2) }));
    }

    [Fact]
    public void Other_key_type_asked_before_registration_makes_a_new_key()
    {
        Assert.Equal(ProvisioningStep.CreateKey, Next(Issued, requested: KeyKind.Rsa2048));
    }

    [Fact]
    public void Registered_thing_is_verified_and_installed_whatever_key_type_is_asked()
    {
        Assert.Equal(
            ProvisioningStep.VerifyAndInstall,
            Next(Issued with { ThingName = "shelf-1", TokenReceivedAt = Now.AddDays(-3) }, requested: KeyKind.Rsa2048));
    }

    [Fact]
    public void Installed_state_only_cleans_up_even_without_the_pending_key()
    {
        Assert.Equal(ProvisioningStep.CleanUp, Next(Issued with { ThingName = "shelf-1", Installed = true }, pending: null));
    }
}

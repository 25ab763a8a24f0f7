using ShelfAgent.Security;

namespace ShelfAgent.Tests.Security;

public sealed class CertificateExpiryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddDays(100);

    [Theory]
    [InlineData(0, CertificateExpiryState.Ok)]
    [InlineData(79, CertificateExpiryState.Ok)]
    [InlineData(80, CertificateExpiryState.Expiring)]
    [InlineData(99, CertificateExpiryState.Expiring)]
    [InlineData(100, CertificateExpiryState.Expired)]
    [InlineData(-1, CertificateExpiryState.NotYetValid)]
    public void State_turns_expiring_at_80_percent_of_the_lifetime(int day, CertificateExpiryState expected)
    {
        var expiry = CertificateExpiry.Assess(Start, End, Start.AddDays(day));

        Assert.Equal(expected, expiry.State);
        Assert.Equal(day / 100.0, expiry.LifetimeUsed, 6);
    }

    [Fact]
    public void Warning_of_a_one_year_certificate_starts_73_days_before_its_end()
    {
        var end = Start.AddDays(365);

        var expiry = CertificateExpiry.Assess(Start, end, Start);

        Assert.Equal(end.AddDays(-73), expiry.WarnFrom);
        Assert.Equal(365, expiry.DaysLeft(Start));
    }

    [Fact]
    public void Describe_names_the_days_left_and_the_share_used()
    {
        var now = Start.AddDays(90);

        Assert.Equal(
            "valid until 2026-04-11 (10 days left, 90% of its lifetime used)",
            CertificateExpiry.Assess(Start, End, now).Describe(now)
                .Replace("\u00a0", " ", StringComparison.Ordinal)
                .Replace(" %", "%", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_gives_null_for_a_file_without_a_certificate()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a certificate");
            Assert.Null(CertificateExpiry.Read(path, Start));
            Assert.Null(CertificateExpiry.Read(path + ".missing", Start));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_assesses_a_real_certificate()
    {
        using var ca = DevCertificateAuthority.Create("expiry CA");
        using var issued = ca.IssueClient("shelf-1", lifetime: TimeSpan.FromDays(10), notBefore: DateTimeOffset.UtcNow.AddDays(-9));
        var path = Path.GetTempFileName();
        try
        {
            PemFiles.WriteCertificate(path, issued.Certificate);

            var expiry = CertificateExpiry.Read(path, DateTimeOffset.UtcNow);

            Assert.Equal(CertificateExpiryState.Expiring, expiry!.State);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_assesses_the_leaf_when_the_file_holds_the_chain()
    {
        // Mqtt:CertFile may hold the device certificate followed by its intermediates (certs/README.md).
        using var ca = DevCertificateAuthority.Create("expiry chain CA");
        using var issued = ca.IssueClient("shelf-2", lifetime: TimeSpan.FromDays(10), notBefore: DateTimeOffset.UtcNow.AddDays(-9));
        using var file = new TempDirectory();
        var path = file.File("device.crt");
        PemFiles.WriteCertificate(path, issued.Certificate);
        File.AppendAllText(path, ca.Certificate.ExportCertificatePem() + "\n");

        var expiry = CertificateExpiry.Read(path, DateTimeOffset.UtcNow);

        Assert.Equal(new DateTimeOffset(issued.Certificate.NotAfter.ToUniversalTime()), expiry!.NotAfter);
        Assert.Equal(CertificateExpiryState.Expiring, expiry.State);
    }
}

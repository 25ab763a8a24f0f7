using Microsoft.Extensions.Logging;
using ShelfAgent.Pipeline;
using ShelfAgent.Security;
using ShelfAgent.Tests.Outbox;

namespace ShelfAgent.Tests.Pipeline;

public sealed class CertificateExpiryWatchTests
{
    [Fact]
    public void Certificate_past_80_percent_logs_a_warning_and_exposes_the_value()
    {
        using var dir = new TempDirectory("expiry");
        using var ca = DevCertificateAuthority.Create("expiry CA");
        using (var issued = ca.IssueClient("shelf-1", lifetime: TimeSpan.FromDays(10), notBefore: DateTimeOffset.UtcNow.AddDays(-9)))
        {
            PemFiles.WriteCertificate(dir.File("device.crt"), issued.Certificate);
        }

        var log = new ListLogger<CertificateExpiryWatch>();
        var watch = new CertificateExpiryWatch(dir.File("device.crt"), TimeProvider.System, log);

        var expiry = watch.CheckNow();

        Assert.Equal(CertificateExpiryState.Expiring, expiry!.State);
        Assert.Same(expiry, watch.Current);
        var entry = Assert.Single(log.Entries);
        Assert.Equal((LogLevel.Warning, 5301), (entry.Level, entry.Id.Id));
        Assert.Contains("rotate", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Young_certificate_logs_nothing()
    {
        using var dir = new TempDirectory("expiry");
        using var ca = DevCertificateAuthority.Create("expiry CA");
        using (var issued = ca.IssueClient("shelf-1", lifetime: TimeSpan.FromDays(365)))
        {
            PemFiles.WriteCertificate(dir.File("device.crt"), issued.Certificate);
        }

        var log = new ListLogger<CertificateExpiryWatch>();
        var watch = new CertificateExpiryWatch(dir.File("device.crt"), TimeProvider.System, log);

        Assert.Equal(CertificateExpiryState.Ok, watch.CheckNow()!.State);
        Assert.Empty(log.Entries);
    }
}

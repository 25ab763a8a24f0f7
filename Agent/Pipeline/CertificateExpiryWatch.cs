using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Security;

namespace ShelfAgent.Pipeline;

/// <summary>
/// Checks the device certificate's lifetime at start and every <see cref="Interval"/>, warns in the log from 80% of it
/// used (issue 14) and keeps the latest verdict in <see cref="Current"/> for the shadow's reported state. A certificate
/// file the agent cannot read is the connection's problem, reported there; here it only leaves <see cref="Current"/> null.
/// </summary>
public sealed partial class CertificateExpiryWatch(string certFile, TimeProvider time, ILogger<CertificateExpiryWatch> log) : BackgroundService
{
    private CertificateExpiry? _current;

    /// <summary>How often the file is looked at again (it changes on rotation).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(12);

    /// <summary>The latest assessment, or null before the first or when the file could not be read.</summary>
    public CertificateExpiry? Current => Volatile.Read(ref _current);

    /// <summary>Assesses now and logs when expiring or expired; returns the assessment.</summary>
    public CertificateExpiry? CheckNow()
    {
        var now = time.GetUtcNow();
        var expiry = CertificateExpiry.Read(certFile, now);
        Volatile.Write(ref _current, expiry);
        switch (expiry?.State)
        {
            case CertificateExpiryState.Expiring:
                LogExpiring(log, certFile, expiry.Describe(now), expiry.WarnFrom);
                break;
            case CertificateExpiryState.Expired:
                LogExpired(log, certFile, expiry.NotAfter);
                break;
        }

        return expiry;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                CheckNow();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(
        EventId = 5301,
        Level = LogLevel.Warning,
        Message = "The device certificate {CertFile} is {Detail} (warning from {WarnFrom:u}): " +
            "rotate it with a rotate-certificate job, or run shelf-agent provision --force (certs/README.md)")]
    private static partial void LogExpiring(ILogger logger, string certFile, string detail, DateTimeOffset warnFrom);

    [LoggerMessage(
        EventId = 5302,
        Level = LogLevel.Error,
        Message = "The device certificate {CertFile} expired at {NotAfter:u}: the broker will refuse the connection; provision a new one (certs/README.md)")]
    private static partial void LogExpired(ILogger logger, string certFile, DateTimeOffset notAfter);
}

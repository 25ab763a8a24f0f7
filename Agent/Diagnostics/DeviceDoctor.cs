using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using ShelfAgent.Clock;
using ShelfAgent.Composition;
using ShelfAgent.Config;
using ShelfAgent.Contract;
using ShelfAgent.Hardware;
using ShelfAgent.Outbox;
using ShelfAgent.Security;

namespace ShelfAgent.Diagnostics;

/// <summary>
/// The checks a field technician runs on a device that "does not send": the clock (no RTC on a Pi), the
/// certificate's dates and name, the key's permissions, the buffer, DNS, and finally a real MQTT
/// connection with the device's own identity. Each check says what to do when it fails.
/// </summary>
public static class DeviceDoctor
{
    /// <summary>Runs every check in order; <paramref name="connect"/> false skips the broker connection.</summary>
    public static IAsyncEnumerable<CheckResult> RunAsync(
        AgentOptions options, TimeProvider time, ILoggerFactory loggers, bool connect, CancellationToken cancellationToken)
        => RunAsync(options, new DoctorRequest(connect, [], ServiceUserAccess.Create(null)), time, loggers, cancellationToken);

    /// <summary>Runs every check in order, as <paramref name="request"/> says.</summary>
    public static async IAsyncEnumerable<CheckResult> RunAsync(
        AgentOptions options,
        DoctorRequest request,
        TimeProvider time,
        ILoggerFactory loggers,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        var now = time.GetUtcNow();
        foreach (var finding in FileChecks.Config(options, request.ConfigWarnings))
        {
            yield return finding;
        }

        yield return Clock(now, TimeFloorStore.Beside(options.Buffer.Path).Load(), new LinuxClockSync().IsSynchronised());
        yield return DeviceCertificate(options, now);
        yield return KeyPermissions(options.Mqtt.KeyFile);
        yield return await FileChecks.CalibrationAsync(options, cancellationToken).ConfigureAwait(false);
        foreach (var sensor in I2cSensorCheck.Run(options.Slots, request.Hardware ?? Buses.Real))
        {
            yield return sensor;
        }

        yield return FileChecks.BufferFolder(options, request.Access);
        yield return await BufferAsync(options, time, cancellationToken).ConfigureAwait(false);
        if (FileChecks.LogFile(options, request.Access) is { } log)
        {
            yield return log;
        }

        var dns = await DnsAsync(options.Mqtt.Host, cancellationToken).ConfigureAwait(false);
        yield return dns;
        if (dns.Status == CheckStatus.Fail)
        {
            yield break;
        }

        // A TLS handshake only, no MQTT session: it disturbs no running agent, so it runs with --no-connect too.
        var caSource = string.IsNullOrEmpty(options.Mqtt.CaFile) ? "the shipped Amazon root CAs" : $"Mqtt:CaFile {options.Mqtt.CaFile}";
        var transport = AgentComposition.TransportOptionsFrom(options, new Topics(options.Device.StoreId, options.Device.ThingName));
        if (await BrokerCaCheck.RunAsync(transport, caSource, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false) is { } ca)
        {
            yield return ca;
        }

        if (request.Connect)
        {
            await foreach (var finding in BrokerChecks.RunAsync(options, request.FallbackPort, time, loggers, cancellationToken).ConfigureAwait(false))
            {
                yield return finding;
            }
        }
    }

    /// <summary>
    /// The checks inside the running agent (the report-diagnostics job): everything but the broker connection and the
    /// round trip, which would push the agent's own connection off (same client id) — the agent is connected, or it
    /// could not have received the job.
    /// </summary>
    public static async Task<IReadOnlyList<CheckResult>> InAgentAsync(
        AgentOptions options, IHardwareAccess? hardware, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var findings = new List<CheckResult>();
        var request = new DoctorRequest(false, [], ServiceUserAccess.Create(null), hardware);
        await foreach (var finding in RunAsync(options, request, time, loggers, cancellationToken).ConfigureAwait(false))
        {
            findings.Add(finding);
        }

        return findings;
    }

    /// <summary>A Pi without an RTC boots in the past until NTP answers; TLS then fails with "not yet valid".</summary>
    public static CheckResult Clock(DateTimeOffset now) => Clock(now, null, synchronised: false);

    /// <summary>
    /// The clock against the time floor (issue 14, doctor "the clock against the floor"): behind the last trusted time
    /// and not synchronised is a failure that says why the connection waits; past the floor is trusted (the spec's "synchronised
    /// or passes the floor"), and the detail says whether the kernel also reports it synchronised.
    /// </summary>
    public static CheckResult Clock(DateTimeOffset now, DateTimeOffset? persistedFloor, bool synchronised)
    {
        var floor = TimeFloor.Effective(persistedFloor);
        var at = now.ToString("u", CultureInfo.InvariantCulture);
        return TimeFloor.Judge(now, floor, synchronised) == ClockVerdict.BehindFloor
            ? new CheckResult("clock", CheckStatus.Fail, TimeFloor.Explain(now, floor))
            : synchronised
                ? new CheckResult("clock", CheckStatus.Ok, $"{at}, synchronised")
                : new CheckResult(
                    "clock", CheckStatus.Ok, $"{at}, past the time floor ({floor:u}; the kernel does not report it synchronised — 'timedatectl' shows why)");
    }

    /// <summary>Validity dates against the clock, and the CN against the thing name.</summary>
    public static CheckResult DeviceCertificate(AgentOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var cert = X509CertificateLoader.LoadCertificateFromFile(options.Mqtt.CertFile);
        var notBefore = new DateTimeOffset(cert.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(cert.NotAfter.ToUniversalTime());
        var cn = cert.GetNameInfo(X509NameType.SimpleName, false);
        if (now < notBefore)
        {
            return new(
                "device certificate",
                CheckStatus.Fail,
                $"not valid until {notBefore:u} (clock is {now:u}): fix the clock, or the certificate was made on a machine whose clock is ahead");
        }

        if (now > notAfter)
        {
            return new("device certificate", CheckStatus.Fail, $"expired {notAfter:u}: provision a new certificate (certs/README.md)");
        }

        var days = (notAfter - now).TotalDays;
        var expiry = CertificateExpiry.Assess(notBefore, notAfter, now);
        var detail = $"CN={cn}, valid until {notAfter:yyyy-MM-dd} ({days:0} days, {expiry.LifetimeUsed:P0} of its lifetime used), " +
            $"issued by {cert.GetNameInfo(X509NameType.SimpleName, true)}";
        if (expiry.State == CertificateExpiryState.Expiring)
        {
            // Issue 14: warn from 80% of the lifetime, so a short-lived certificate is rotated in time too.
            return new(
                "device certificate",
                CheckStatus.Warn,
                detail + $": past 80% of its lifetime (since {expiry.WarnFrom:yyyy-MM-dd}): " +
                "rotate it (a rotate-certificate job, or shelf-agent provision --force; certs/README.md)");
        }

        if (days < 30)
        {
            return new("device certificate", CheckStatus.Warn, detail + ": renew it soon");
        }

        return !string.Equals(cn, options.Device.ThingName, StringComparison.Ordinal)
            ? new(
                "device certificate",
                CheckStatus.Warn,
                detail + $": CN differs from Device:ThingName '{options.Device.ThingName}' " +
                $"(fine for AWS IoT if the certificate is attached to that thing; a mosquitto with use_identity_as_username will see '{cn}')")
            : new("device certificate", CheckStatus.Ok, detail);
    }

    /// <summary>A private key readable by group or others is a failure: the AWS IoT Device Client refuses to start on it, and any audit flags it.</summary>
    public static CheckResult KeyPermissions(string keyFile)
    {
        var mode = File.GetUnixFileMode(keyFile);
        const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        var octal = Convert.ToString((int)mode, 8);
        return (mode & Others) != 0
            ? new(
                "private key",
                CheckStatus.Fail,
                $"{keyFile} is mode {octal}: readable beyond its owner (anyone who can read it can pose as this device); " +
                $"fix: chmod 0600 {keyFile} && chown {ServiceUserAccess.DefaultServiceUser} {keyFile}")
            : new("private key", CheckStatus.Ok, $"{keyFile} mode {octal}");
    }

    private static async Task<CheckResult> BufferAsync(AgentOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.Buffer.Path))
        {
            return new(
                "buffer", CheckStatus.Warn, $"{options.Buffer.Path} does not exist yet (created at the first run; its folder must be writable by the service)");
        }

        try
        {
            var s = await SqliteOutbox.ReadStatsAsync(options.Buffer.Path, time, cancellationToken).ConfigureAwait(false);
            var waiting = s.EventDepth + s.LiveDepth + s.BacklogDepth;
            if (s.OldestReadingAge is { } negative && negative < TimeSpan.Zero)
            {
                // A reading "from the future": the clock was ahead when it was stamped and has since been stepped back.
                return new(
                    "clock",
                    CheckStatus.Fail,
                    $"the oldest buffered reading is stamped {FormatAge(-negative)} ahead of the clock now ({waiting:N0} waiting in {options.Buffer.Path}): " +
                    "the clock was stepped back (no RTC, or NTP corrected a wrong time); check 'timedatectl'; readings keep their original stamps");
            }

            var detail = $"{waiting:N0} waiting (oldest {(s.OldestReadingAge is { } age ? FormatAge(age) : "none")}), " +
                $"{s.FileBytes / 1048576.0:0.0} MB, {s.EvictedTotal:N0} evicted, {s.RecoveredFiles} recovered files";
            if (s.DiskFull is { } full)
            {
                // A full disk is a warning while it lasts; once room came back the episode is still worth a line.
                detail += "; " + full.Describe();
                if (full.Ongoing)
                {
                    return new("buffer", CheckStatus.Warn, detail + ": free space on the buffer's file system (df " + options.Buffer.Path + ")");
                }
            }

            var stale = s.OldestReadingAge is { } oldest && oldest > TimeSpan.FromMinutes(10);
            return new(
                "buffer", stale ? CheckStatus.Warn : CheckStatus.Ok, stale ? detail + ": readings are not leaving the device; see the broker check" : detail);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            return new("buffer", CheckStatus.Fail, $"{options.Buffer.Path}: {e.Message}");
        }
    }

    private static async Task<CheckResult> DnsAsync(string host, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out _))
        {
            return new("dns", CheckStatus.Ok, $"{host} is an address");
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            return new("dns", CheckStatus.Ok, $"{host} → {string.Join(", ", addresses.Take(3).Select(a => a.ToString()))}");
        }
        catch (SocketException e)
        {
            return new("dns", CheckStatus.Fail, $"{host} does not resolve ({e.SocketErrorCode}): check Mqtt:Host and the store network's DNS");
        }
    }

    private static string FormatAge(TimeSpan age)
        => age.TotalHours >= 1 ? $"{age.TotalHours:0.0} h" : age.TotalMinutes >= 1 ? $"{age.TotalMinutes:0} min" : $"{age.TotalSeconds:0} s";
}

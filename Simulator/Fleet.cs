using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ShelfAgent.Pipeline;
using ShelfAgent.Security;
using ShelfAgent.Sensors.Simulated;

namespace ShelfAgent.Simulator;

/// <summary>Runs a fleet of <see cref="VirtualDevice"/>s for a while and reports what they committed and delivered.</summary>
public static class Fleet
{
    public static async Task<int> RunAsync(FleetOptions fleet, ILoggerFactory loggers, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(output);
        var caCert = Path.Combine(fleet.CertsDirectory, "ca.crt");
        var caKey = Path.Combine(fleet.CertsDirectory, "ca.key");
        if (!File.Exists(caCert) || !File.Exists(caKey))
        {
            await output.WriteLineAsync(
                $"shelf-sim: {caCert} and {caKey} are needed to issue device certificates: " +
                $"run 'shelf-agent dev-certs --out {fleet.CertsDirectory} --thing any' first (./demo.sh does).").ConfigureAwait(false);
            return 69;
        }

        using var ca = DevCertificateAuthority.Load(caCert, caKey);
        var shopClock = new ScaledTimeProvider(fleet.ShopStart, fleet.TimeScale);
        var devices = new List<VirtualDevice>();
        var faults = new FaultTally();
        try
        {
            for (var s = 1; s <= fleet.Stores; s++)
            {
                for (var d = 1; d <= fleet.DevicesPerStore; d++)
                {
                    devices.Add(await VirtualDevice.CreateAsync(fleet, s, d, ca, shopClock, loggers, cancellationToken, faults).ConfigureAwait(false));
                }
            }

            await output.WriteLineAsync(
                $"shelf-sim: {devices.Count} devices × {fleet.SlotsPerDevice} slots → {fleet.Host}:{fleet.Port} for {fleet.Duration.TotalSeconds:0} s " +
                $"(shop time ×{fleet.TimeScale}, from {fleet.ShopStart:yyyy-MM-dd HH:mm})").ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(devices.Select(d => d.StartAsync(cancellationToken))).ConfigureAwait(false);
            try
            {
                await Task.Delay(fleet.Duration, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: stop early and still report.
            }

            await Task.WhenAll(devices.Select(d => d.StopAsync(CancellationToken.None))).ConfigureAwait(false);
            var seconds = clock.Elapsed.TotalSeconds;
            long committed = 0, published = 0;
            foreach (var device in devices)
            {
                committed += device.Service<SamplingService>().Committed;
                published += device.Service<PublishingService>().Published;
            }

            await output.WriteLineAsync($"shelf-sim: {seconds:0.0} s real, shop clock now {shopClock.GetUtcNow():yyyy-MM-dd HH:mm}").ConfigureAwait(false);
            await output.WriteLineAsync(
                $"shelf-sim: readings committed {committed:N0} ({committed / seconds:N0}/s), delivered (PUBACK) {published:N0} ({published / seconds:N0}/s); " +
                $"the rest stays buffered in {fleet.WorkDirectory}").ConfigureAwait(false);
            if (faults.Summary() is { } summary)
            {
                await output.WriteLineAsync($"shelf-sim: {summary}").ConfigureAwait(false);
            }

            if (published == 0)
            {
                // A load test that delivered nothing has failed, whatever else it did: say so in the exit code too.
                await output.WriteLineAsync(
                    $"shelf-sim: nothing was delivered to {fleet.Host}:{fleet.Port}: " +
                    $"is the broker running there, and does it trust the CA in {fleet.CertsDirectory}? " +
                    $"(--verbose shows each device's connection attempts)").ConfigureAwait(false);
                return 69;
            }

            return 0;
        }
        finally
        {
            foreach (var device in devices)
            {
                await device.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}

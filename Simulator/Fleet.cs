using Microsoft.Extensions.Logging;
using ShelfAgent.Security;
using ShelfAgent.Sensors.Simulated;
using ShelfAgent.Simulator.Rehearsals;
using ShelfAgent.Simulator.Report;
using ShelfAgent.Simulator.Scale;

namespace ShelfAgent.Simulator;

/// <summary>
/// Runs a fleet of <see cref="VirtualDevice"/>s for a while — its shard of it, through the fleet's connect rate, with the
/// faults and rehearsals asked for — shows its progress, and reports what was committed, delivered and measured.
/// </summary>
public static class Fleet
{
    public static async Task<int> RunAsync(FleetOptions fleet, ILoggerFactory loggers, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(output);
        if (fleet.Broker == BrokerMode.External && BrokerGuard.Check(fleet.Host, fleet.IMeanAws) is { } refused)
        {
            await output.WriteLineAsync($"shelf-sim: refused: {refused}").ConfigureAwait(false);
            return 64;
        }

        if (fleet.Rehearsals.Count > 0 && fleet.Broker != BrokerMode.LocalIotCore && fleet.Rehearsals.Any(r => r != "reconnect-storm"))
        {
            await output.WriteLineAsync("shelf-sim: the shadow and job rehearsals need --broker local-iot-core").ConfigureAwait(false);
            return 64;
        }

        if (fleet.Broker == BrokerMode.External && (fleet.Rehearsals.Count > 0 || fleet.Faults.BrokerRestartAt is not null))
        {
            await output.WriteLineAsync("shelf-sim: restarting the broker needs one of the simulator's own (--broker mosquitto or local-iot-core)")
                .ConfigureAwait(false);
            return 64;
        }

        var (caCert, caKey) = (Path.Combine(fleet.CertsDirectory, "ca.crt"), Path.Combine(fleet.CertsDirectory, "ca.key"));
        if (fleet.Broker == BrokerMode.External && (!File.Exists(caCert) || !File.Exists(caKey)))
        {
            await output.WriteLineAsync(
                $"shelf-sim: {Path.Combine(fleet.CertsDirectory, "ca.crt")} and {Path.Combine(fleet.CertsDirectory, "ca.key")} are needed to issue device " +
                $"certificates: run 'shelf-agent dev-certs --out {fleet.CertsDirectory} --thing any' first (./demo.sh does).").ConfigureAwait(false);
            return 69;
        }

        await using var broker = await FleetBroker.StartAsync(fleet, cancellationToken).ConfigureAwait(false);
        return await RunOnAsync(fleet, broker, loggers, output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the fleet on a broker that is already there (the one <see cref="RunAsync"/> started, or a test's); it stays running.</summary>
    public static async Task<int> RunOnAsync(
        FleetOptions fleet, FleetBroker broker, ILoggerFactory loggers, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(output);
        var startedAt = DateTimeOffset.UtcNow;
        using var ca = DevCertificateAuthority.Load(broker.CaCertFile, broker.CaKeyFile);
        // The share of the fleet whose network drops out reaches the broker through a relay that can go down.
        await using var relay = fleet.Faults.DropoutFraction > 0 ? DropoutRelay.Start(broker.Host, broker.Port) : null;
        var plan = FleetPlan.Devices(fleet, broker, relay?.Port);
        var issued = 0;
        Parallel.ForEach(plan, new ParallelOptions { CancellationToken = cancellationToken }, own =>
        {
            if (DeviceCertificates.Ensure(own.Config.Folder, own.Config.Thing, ca, DateTimeOffset.UtcNow).Issued)
            {
                Interlocked.Increment(ref issued);
            }
        });
        await broker.RegisterAsync(
            [.. plan.Select(p => (p.Config.Thing, p.Config.StoreId, Path.Combine(p.Config.Folder, "device.crt")))], cancellationToken).ConfigureAwait(false);

        var shopClock = new ScaledTimeProvider(fleet.ShopStart, fleet.TimeScale);
        var metrics = new FleetMetrics(plan.Count);
        var connectRate = new ConnectRate(fleet.ConnectRate, TimeProvider.System);
        using var categoryLoggers = new SharedLoggers(loggers);
        var shared = new VirtualDevice.FleetParts(fleet, shopClock, categoryLoggers, new FaultTally(), metrics, connectRate);
        var devices = new VirtualDevice[plan.Count];
        var beforeDevices = FullGcSnapshot();
        try
        {
            await Parallel.ForEachAsync(
                plan,
                new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
                async (own, ct) => devices[own.Index] = await VirtualDevice.CreateAsync(shared, own, ct).ConfigureAwait(false)).ConfigureAwait(false);
            var fleetSize = fleet.Stores * fleet.DevicesPerStore;
            await output.WriteLineAsync(
                $"shelf-sim: {plan.Count:N0} devices{(fleet.Shard.Count > 1 ? $" (shard {fleet.Shard} of a fleet of {fleetSize:N0})" : "")} × " +
                $"{fleet.SlotsPerDevice} slots → {broker.Host}:{broker.Port} for {fleet.Duration.TotalSeconds:0} s " +
                $"(shop time ×{fleet.TimeScale}, from {fleet.ShopStart:yyyy-MM-dd HH:mm}); connect rate {Rate(fleet.ConnectRate)}, " +
                $"outbox {(fleet.InMemoryOutbox ? "in memory" : "a file per device")}, certificates: {issued:N0} issued, {plan.Count - issued:N0} kept; " +
                $"open files limit {ProcessUsage.OpenFilesLimit():N0}").ConfigureAwait(false);
            var built = FullGcSnapshot();

            var sampler = new FleetSampler(metrics, () => Totals(devices));
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampling = sampler.RunAsync(stop.Token);
            var progress = FleetProgress.RunAsync(fleet, metrics, sampler, output, stop.Token);
            metrics.Start();
            await Task.WhenAll(devices.Select(d => d.StartAsync(cancellationToken))).ConfigureAwait(false);
            var faults = FaultInjection.RunAsync(fleet, broker, output, stop.Token);
            var dropout = relay is null
                ? Task.FromResult<RehearsalResult?>(null)
                : NetworkDropout.RunAsync(fleet, relay, [.. plan.Where(p => p.DropsOut).Select(p => p.Index)], metrics, output, stop.Token);
            var rehearsals = await RehearseAsync(fleet, broker, devices, metrics, sampler, output, connectRate, cancellationToken).ConfigureAwait(false);
            try
            {
                var left = fleet.Duration - sampler.Elapsed;
                if (left > TimeSpan.Zero)
                {
                    await Task.Delay(left, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: stop early and still report.
            }

            var memory = MemoryBreakdown.Of(beforeDevices, built, FullGcSnapshot(), plan.Count);

            // One signal to every device, then the hosts a few hundred at a time, each timed from its own stop
            // (docs/simulator.md, "How a fleet stops"). One that still runs out of time is counted, not fatal.
            var stopped = await FleetStop.StopAsync(devices, shared.Stopping, fleet.StopHostsAtOnce, TimeProvider.System).ConfigureAwait(false);
            if (stopped.Late > 0)
            {
                metrics.Error("stop-timeout", stopped.Late);
            }

            await output.WriteLineAsync($"shelf-sim: {stopped.Summary}").ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(sampling, progress, faults).ConfigureAwait(false);
            if (await dropout.ConfigureAwait(false) is { } dropped)
            {
                rehearsals = [.. rehearsals, dropped];
            }

            return await ReportAsync(fleet, startedAt, broker, plan.Count, devices, metrics, sampler, shared, rehearsals, memory, output).ConfigureAwait(false);
        }
        finally
        {
            await Task.WhenAll(devices.Where(d => d is not null).Select(d => d.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
    }

    // A full blocking GC first, so the managed heap is what is live (about a second on a heap of a few GB; three per run).
    private static MemorySnapshot FullGcSnapshot()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return MemorySnapshot.Take();
    }

    private static string Rate(double perSecond) => perSecond > 0 ? $"{perSecond:N0}/s" : "unlimited";

    private static (long Committed, long Delivered) Totals(VirtualDevice?[] devices)
    {
        long committed = 0, delivered = 0;
        foreach (var device in devices)
        {
            if (device is not null)
            {
                committed += device.Committed;
                delivered += device.Delivered;
            }
        }

        return (committed, delivered);
    }

    private static async Task<IReadOnlyList<RehearsalResult>> RehearseAsync(
        FleetOptions fleet, FleetBroker broker, VirtualDevice[] devices, FleetMetrics metrics, FleetSampler sampler, TextWriter output,
        ConnectRate connectRate, CancellationToken cancellationToken)
    {
        var results = new List<RehearsalResult>();
        if (fleet.Rehearsals.Count == 0)
        {
            return results;
        }

        var context = new RehearsalContext(fleet, broker, devices, metrics, sampler, output, connectRate);
        // A rehearsal starts from a connected fleet (bounded: a fleet that does not connect is rehearsed as it is).
        var bound = DateTime.UtcNow + context.Bound;
        while (metrics.Count(DeviceState.Connected) < devices.Length && DateTime.UtcNow < bound)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }

        foreach (var name in fleet.Rehearsals)
        {
            var result = name switch
            {
                "reconnect-storm" => await ReconnectStorm.RunAsync(context, cancellationToken).ConfigureAwait(false),
                "shadow" => await ShadowChange.RunAsync(context, cancellationToken).ConfigureAwait(false),
                "job" => await JobRollout.RunAsync(context, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentException($"unknown rehearsal {name}"),
            };
            results.Add(result);
            await output.WriteLineAsync($"shelf-sim: {result.Summary}").ConfigureAwait(false);
        }

        return results;
    }

    private static async Task<int> ReportAsync(
        FleetOptions fleet, DateTimeOffset startedAt, FleetBroker broker, int count, VirtualDevice[] devices, FleetMetrics metrics,
        FleetSampler sampler, VirtualDevice.FleetParts shared, IReadOnlyList<RehearsalResult> rehearsals, MemoryBreakdown memory, TextWriter output)
    {
        var faults = shared.Faults;
        var seconds = sampler.Elapsed.TotalSeconds;
        var (committed, delivered) = Totals(devices);
        var all = metrics.Latency.Snapshot();
        var timeline = sampler.Points;
        var report = new FleetReport(
            ReportJson.Schema,
            startedAt,
            string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            $"{fleet.Broker} {broker.Host}:{broker.Port}",
            fleet.Shard.ToString(),
            count,
            fleet.SlotsPerDevice,
            fleet.ConnectRate,
            fleet.InMemoryOutbox ? "memory" : "file",
            Math.Round(seconds, 1),
            committed,
            delivered,
            metrics.Messages,
            metrics.ConnectAttempts,
            metrics.Connects,
            shared.ConnectRate.PeakEver,
            metrics.SecondsToAllConnected is { } connectedAfter ? Math.Round(connectedAfter, 1) : null,
            Round(LatencyHistogram.Percentile(all, 0.50)),
            Round(LatencyHistogram.Percentile(all, 0.95)),
            Round(LatencyHistogram.Percentile(all, 0.99)),
            metrics.Errors,
            faults.Total,
            ProcessUsage.Read(count, metrics.Messages, memory),
            timeline,
            rehearsals);
        var shopNow = shared.ShopClock.GetUtcNow();
        await output.WriteLineAsync($"shelf-sim: {seconds:0.0} s real, shop clock now {shopNow:yyyy-MM-dd HH:mm}").ConfigureAwait(false);
        var sampled = devices.Sum(d => d.Sampled);
        await output.WriteLineAsync(
            $"shelf-sim: readings sampled {sampled:N0} ({sampled / seconds:N0}/s); committed to publish {committed:N0} ({committed / seconds:N0}/s, " +
            $"{(fleet.Readings == Stock.PublishedReadings.All ? "every sample" : "the minutes' summaries")}), " +
            $"delivered (PUBACK) {delivered:N0} ({delivered / seconds:N0}/s) " +
            $"in {metrics.Messages:N0} messages; the rest stays buffered" +
            (fleet.InMemoryOutbox ? " (in memory: gone with the process)" : $" in {fleet.WorkDirectory}"))
            .ConfigureAwait(false);
        await output.WriteLineAsync(
            $"shelf-sim: fleet connected in {RehearsalContext.Seconds(report.SecondsToConnectFleet)}; PUBACK p50 {Ms(report.P50Ms)}, p95 {Ms(report.P95Ms)}, " +
            $"p99 {Ms(report.P99Ms)}; peak memory {report.Process.PeakRssMb:N0} MB ({report.Process.MemoryPerDeviceKb:N0} KB/device), " +
            $"CPU {report.Process.CpuSeconds:N1} s ({report.Process.CpuSecondsPer1000Messages:0.000} s per 1,000 messages)" +
            (report.Errors.Count == 0 ? "" : "; errors: " + string.Join(", ", report.Errors.Select(e => $"{e.Key} {e.Value:N0}")))).ConfigureAwait(false);
        await output.WriteLineAsync(
            $"shelf-sim: memory per device: {memory.PerDeviceKbBuilt["rss"]:N0} KB built (GC heap {memory.PerDeviceKbBuilt["gc_heap"]:N0}, " +
            $"native {memory.PerDeviceKbBuilt["native"]:N0}) + {memory.PerDeviceKbRunning["rss"]:N0} KB connected and running (GC heap " +
            $"{memory.PerDeviceKbRunning["gc_heap"]:N0}, native {memory.PerDeviceKbRunning["native"]:N0}); before the devices " +
            $"{memory.BeforeDevices.RssMb:N0} MB; {memory.Running.Threads} threads").ConfigureAwait(false);
        if (shared.Warnings.Suppressed > 0)
        {
            await output.WriteLineAsync(
                $"shelf-sim: {shared.Warnings.Suppressed:N0} more warning lines not printed (their kinds are under errors above; --verbose prints every one)")
                .ConfigureAwait(false);
        }

        if (faults.Summary() is { } summary)
        {
            await output.WriteLineAsync($"shelf-sim: {summary}").ConfigureAwait(false);
        }

        if (fleet.ReportDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, "report.json"), ReportJson.Serialize(report)).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(dir, "report.html"), ReportHtml.Render(report)).ConfigureAwait(false);
            await output.WriteLineAsync($"shelf-sim: report written to {Path.Combine(dir, "report.json")} and report.html").ConfigureAwait(false);
        }

        if (delivered == 0)
        {
            // A load test that delivered nothing has failed, whatever else it did: say so in the exit code too.
            await output.WriteLineAsync(
                $"shelf-sim: nothing was delivered to {broker.Host}:{broker.Port}: " +
                $"is the broker running there, and does it trust the CA in {fleet.CertsDirectory}? " +
                $"(--verbose shows each device's connection attempts)").ConfigureAwait(false);
            return 69;
        }

        return 0;
    }

    private static double? Round(double? ms) => ms is { } v ? Math.Round(v, 2) : null;

    private static string Ms(double? ms) => ms is { } v ? $"{v:0.0} ms" : "–";
}

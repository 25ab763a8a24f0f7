using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ShelfAgent.Composition;
using ShelfAgent.Config;
using ShelfAgent.Security;
using ShelfAgent.Sensors;
using ShelfAgent.Stock;
using ShelfAgent.Transport;

namespace ShelfAgent.Simulator;

/// <summary>
/// One simulated shelf device: the agent's own pipeline (simulated load cells → SQLite outbox → our MQTT
/// client) built by <see cref="AgentComposition"/> exactly as <c>shelf-agent run</c> builds it, with the
/// shop clock accelerated and its own certificate.
/// </summary>
public sealed class VirtualDevice(AgentOptions options, IHost host) : IAsyncDisposable
{
    public AgentOptions Options => options;

    public static async Task<VirtualDevice> CreateAsync(
        FleetOptions fleet,
        int store,
        int index,
        DevCertificateAuthority ca,
        TimeProvider shopClock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken,
        FaultTally? faults = null)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(ca);
        var storeId = $"store-{store:D4}";
        var thing = $"sim-{store:D4}-{index:D2}";
        var dir = Path.Combine(fleet.WorkDirectory, thing);
        Directory.CreateDirectory(dir);
        using (var cert = ca.IssueClient(thing))
        {
            cert.WritePem(Path.Combine(dir, "device.crt"), Path.Combine(dir, "device.key"));
        }

        var random = new Random(HashCode.Combine(fleet.Seed, store, index));
        var options = new AgentOptions
        {
            SourceFile = "(simulator)",
            Device = new DeviceOptions { ThingName = thing, StoreId = storeId },
            Mqtt = new MqttOptions
            {
                Host = fleet.Host,
                Port = fleet.Port,
                CaFile = Path.Combine(fleet.CertsDirectory, "ca.crt"),
                CertFile = Path.Combine(dir, "device.crt"),
                KeyFile = Path.Combine(dir, "device.key"),
                MaxPublishesPerSecond = fleet.AwsLimits ? 100 : 0,
                MaxBytesPerSecond = fleet.AwsLimits ? 512 * 1024 : 0,
            },
            Buffer = new Outbox.OutboxOptions { Path = Path.Combine(dir, "outbox.db") },
            Sampling = new SamplingOptions { IntervalMs = fleet.SamplingMs },
            Publish = new PublishOptions { IntervalMs = fleet.PublishMs },
            Slots = Enumerable.Range(0, fleet.SlotsPerDevice).Select(i =>
            {
                var (sku, unit, capacity, rate) = Catalog.Products[random.Next(Catalog.Products.Count)];
                return new SlotOptions
                {
                    Id = $"{(char)('A' + (i / 6))}{(i % 6) + 1}",
                    Sku = sku,
                    UnitGrams = unit,
                    TareGrams = 150 + random.Next(60),
                    Capacity = capacity,
                    LowStockAt = Math.Max(1, capacity / 6),
                    Sensor = new SensorOptions
                    {
                        Type = SensorType.Simulated,
                        PicksPerHour = rate * (0.5 + random.NextDouble()),
                        DailyPattern = true,
                        FaultProbability = fleet.FaultProbability,
                        RestockAt = random.Next(0, 3),
                        Seed = random.Next(1, int.MaxValue),
                    },
                };
            }).ToList(),
        };
        var deviceLoggers = new DeviceLoggerFactory(loggers, thing, faults ?? new FaultTally(), fleet.LogEveryFault);
        var host = await AgentComposition.BuildHostAsync(options, deviceLoggers, TimeProvider.System, cancellationToken, shopClock).ConfigureAwait(false);
        return new VirtualDevice(options, host);
    }

    public Task StartAsync(CancellationToken cancellationToken) => host.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => host.StopAsync(cancellationToken);

    public T Service<T>() where T : class => host.Services.GetServices<IHostedService>().OfType<T>().Single();

    // The container closes the outbox asynchronously (it commits what is queued first).
    public ValueTask DisposeAsync() => ((IAsyncDisposable)host).DisposeAsync();
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Config;
using ShelfAgent.Outbox;
using ShelfAgent.Pipeline;
using ShelfAgent.Stock;
using ShelfAgent.Tests.Outbox;
using ShelfAgent.Transport;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration;

/// <summary>The first lane (events and alerts) through the agent's own composition, against a real mosquitto.</summary>
public sealed class PublishingLanesTests(SharedBroker shared, ITestOutputHelper output) : IClassFixture<SharedBroker>
{
    [Fact]
    public async Task An_alert_goes_out_at_once_not_at_the_next_publish_tick()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var options = await OptionsAsync(env, "shelf-tick-01", env.File("outbox.db"));
        options.Sampling.IntervalMs = 100;
        options.Publish.IntervalMs = 60_000; // the next telemetry batch is a minute away
        var sub = await env.SubscribeAsync("dt/shelf/+/shelf-tick-01/#");
        var host = await env.StartHostAsync(options);

        await env.UntilAsync(() => sub.Payloads("/telemetry").Count > 0, "the first telemetry batch arrived");
        await host.Services.GetRequiredService<IOutbox>().AppendEventAsync(
            OutboxItems.Alert(DateTimeOffset.UtcNow, "alert-between-ticks"), CancellationToken.None);

        await env.UntilAsync(() => sub.Payloads("/alerts").Count > 0, "the alert arrived");
        // Cutting the pause short also sends what telemetry had accumulated, but after the alert.
        var order = sub.Messages.Where(x => !x.Topic.EndsWith("/status", StringComparison.Ordinal)).Select(x => x.Topic.Split('/')[^1]).ToList();
        Assert.Equal(["telemetry", "alerts"], order.Take(2));
    }

    [Fact]
    public async Task An_alert_raised_while_a_backlog_drains_under_rate_limits_goes_out_ahead_of_most_of_it()
    {
        const int Backlog = 6_000;
        await using var env = await IntegrationEnvironment.StartAsync(shared, output);
        var outboxPath = env.File("outbox.db");
        await using (var fill = await SqliteOutbox.OpenAsync(
            new OutboxOptions { Path = outboxPath }, TimeProvider.System, NullLogger<SqliteOutbox>.Instance, CancellationToken.None))
        {
            var start = DateTimeOffset.UtcNow.AddHours(-6);
            await fill.AppendAsync(
                Enumerable.Range(0, Backlog)
                    .Select(i => new Reading(start.AddSeconds(i), "A1", "COLA-355", 150 + (368.0 * (i % 20)), i % 20, StockStatus.Ok))
                    .ToArray(),
                CancellationToken.None);
        }

        var options = await OptionsAsync(env, "shelf-drain-01", outboxPath);
        options.Mqtt.MaxBytesPerSecond = 24_000; // about four seconds of backlog
        options.Sampling.IntervalMs = 3_600_000;
        options.Publish.IntervalMs = 500;
        var sub = await env.SubscribeAsync("dt/shelf/+/shelf-drain-01/#");
        var host = await env.StartHostAsync(options);
        var publisher = host.Services.GetServices<IHostedService>().OfType<PublishingService>().Single();

        await env.UntilAsync(() => sub.Payloads("/telemetry").Count > 0, "the first backlog batch arrived");
        await host.Services.GetRequiredService<IOutbox>().AppendEventAsync(
            OutboxItems.Alert(DateTimeOffset.UtcNow, "alert-during-drain"), CancellationToken.None);
        await env.UntilAsync(() => publisher.Published >= Backlog, $"the {Backlog} backlog readings were published");
        await env.UntilAsync(() => sub.Payloads("/alerts").Count > 0, "the alert arrived");
        await host.StopAsync();

        // In arrival order: the alert came after a few backlog batches, not after the in-flight window's worth or the whole drain.
        var messages = sub.Messages.Where(m => !m.Topic.EndsWith("/status", StringComparison.Ordinal)).ToList();
        var telemetry = messages.Count(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal));
        var before = messages.TakeWhile(m => !m.Topic.EndsWith("/alerts", StringComparison.Ordinal)).Count();
        output.WriteLine($"alert after {before} of {telemetry} telemetry messages");
        Assert.True(telemetry >= 10, $"only {telemetry} telemetry messages: the backlog batches are not small under the budget");
        Assert.True(before <= telemetry / 2, $"the alert arrived after {before} of {telemetry} telemetry messages");
    }

    private static async Task<AgentOptions> OptionsAsync(IntegrationEnvironment env, string thing, string outboxPath)
    {
        var (cert, key) = await env.IssueAsync(thing);
        return new AgentOptions
        {
            Device = new DeviceOptions { ThingName = thing, StoreId = "store-7" },
            Mqtt = new MqttOptions { Host = env.Broker.Host, Port = env.Broker.Port, CaFile = env.CaFile, CertFile = cert, KeyFile = key },
            Buffer = new OutboxOptions { Path = outboxPath },
            // Every sample: these tests count telemetry batches between alerts (the default sends one a minute).
            Publish = new PublishOptions { Readings = ShelfAgent.Stock.PublishedReadings.All },
            Slots = [new SlotOptions { Id = "A1", Sku = "COLA-355", UnitGrams = 368, TareGrams = 150, Capacity = 24, LowStockAt = 4 }],
        };
    }
}

using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.Bench.Mqtt;

/// <summary>The agent's transport (MQTTnet underneath) as a publisher process: N QoS 1 messages of ~200 bytes with a window of W in flight.</summary>
public static class MqttBenchPublisher
{
    /// <summary>args: host port caFile certFile keyFile clientId topic count window</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new MqttTransportOptions
        {
            Host = args[0],
            Port = int.Parse(args[1], CultureInfo.InvariantCulture),
            CaFile = args[2],
            CertFile = args[3],
            KeyFile = args[4],
            ClientId = args[5],
            CleanSession = true,
            MaxInFlight = int.Parse(args[8], CultureInfo.InvariantCulture),
            MaxPublishesPerSecond = 0, // local broker: no AWS throttle
            MaxBytesPerSecond = 0,
        };
        var topic = args[6];
        var count = int.Parse(args[7], CultureInfo.InvariantCulture);
        await using var client = new MqttTransport(options, TimeProvider.System, NullLogger<MqttTransport>.Instance);
        await client.ConnectOnceAsync(CancellationToken.None);
        var pending = new Queue<Task>(options.MaxInFlight);
        for (var i = 0; i < count; i++)
        {
            if (pending.Count >= options.MaxInFlight)
            {
                await pending.Dequeue();
            }

            pending.Enqueue(client.PublishAsync(topic, MqttBenchmark.Payload(i), MqttQualityOfServiceLevel.AtLeastOnce, false, CancellationToken.None));
        }

        await Task.WhenAll(pending);
        await client.StopAsync(CancellationToken.None);
        Console.Error.WriteLine(FormattableString.Invariant($"allocated {GC.GetTotalAllocatedBytes() / (double)count:0} bytes/message, {GC.CollectionCount(0)} gen0 collections"));
        return 0;
    }
}

using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.Bench.Mqtt;

/// <summary>The agent's transport (MQTTnet underneath) as a publisher process: N QoS 1 messages of ~200 bytes with a window of W in flight.</summary>
public static class MqttBenchPublisher
{
    /// <summary><c>mqtt-publisher host port caFile certFile keyFile clientId topic count window</c>, started by <c>mqtt</c>.</summary>
    public static Command Create()
    {
        var host = new Argument<string>("host");
        var port = new Argument<int>("port");
        var caFile = new Argument<string>("caFile");
        var certFile = new Argument<string>("certFile");
        var keyFile = new Argument<string>("keyFile");
        var clientId = new Argument<string>("clientId");
        var topic = new Argument<string>("topic");
        var count = new Argument<int>("count");
        var window = new Argument<int>("window");
        var command = new Command(
            "mqtt-publisher",
            "The mqtt benchmark's child process: our transport publishing count QoS 1 messages, window in flight (measured on its own)")
        {
            host, port, caFile, certFile, keyFile, clientId, topic, count, window,
        };
        command.SetAction((parse, _) => RunAsync(
            new MqttTransportOptions
            {
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                CaFile = parse.GetValue(caFile)!,
                CertFile = parse.GetValue(certFile)!,
                KeyFile = parse.GetValue(keyFile)!,
                ClientId = parse.GetValue(clientId)!,
                CleanSession = true,
                MaxInFlight = parse.GetValue(window),
                MaxPublishesPerSecond = 0, // local broker: no AWS throttle
                MaxBytesPerSecond = 0,
            },
            parse.GetValue(topic)!,
            parse.GetValue(count)));
        return command;
    }

    private static async Task<int> RunAsync(MqttTransportOptions options, string topic, int count)
    {
        await using var client = new MqttTransport(options, TimeProvider.System, NullLogger<MqttTransport>.Instance);
        await client.ConnectOnceAsync(CancellationToken.None);
        var pending = new Queue<Task>(options.MaxInFlight);
        for (var i = 0; i < count; i++)
        {
            if (pending.Count >= options.MaxInFlight)
            {
                await pending.Dequeue();
            }

            pending.Enqueue(client.PublishAsync(
                topic, MqttBenchmark.Payload(i), MqttQualityOfServiceLevel.AtLeastOnce, false, CancellationToken.None));
        }

        await Task.WhenAll(pending);
        await client.StopAsync(CancellationToken.None);
        Console.Error.WriteLine(FormattableString.Invariant(
            $"allocated {GC.GetTotalAllocatedBytes() / (double)count:0} bytes/message, {GC.CollectionCount(0)} gen0 collections"));
        return 0;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using MQTTnet.Exceptions;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Lake;

namespace ShelfAgent.LocalLake.Cli;

/// <summary>
/// <c>listen</c>: the raw tables filled from what devices publish on a broker over mutual TLS (<see cref="BrokerIngest"/>),
/// until Ctrl+C. The client is the local IoT Core's own MQTTnet client (<see cref="MqttTestClient"/>), not a second one.
/// </summary>
public static class ListenCommand
{
    /// <summary>Exit code when the broker refuses a subscription or the connection is lost (sysexits EX_UNAVAILABLE).</summary>
    public const int Unavailable = 69;

    /// <summary>Builds the command.</summary>
    public static Command Create(Option<string> lake)
    {
        var broker = new Option<string>("--broker")
        {
            Description = "HOST:PORT of the broker (mosquitto or local-iot-core, e.g. 127.0.0.1:8883); its certificate must name localhost",
            Required = true,
        };
        var ca = new Option<string>("--ca") { Description = "the CA that signed the broker's certificate (PEM)", Required = true };
        var cert = new Option<string>("--cert") { Description = "this client's certificate (PEM), e.g. of local-iot-core observer add", Required = true };
        var key = new Option<string>("--key") { Description = "its private key (PEM)", Required = true };
        var clientId = new Option<string>("--client-id") { Description = "MQTT client id (an observer's: its name)", DefaultValueFactory = _ => "local-lake" };
        var flush = new Option<double>("--flush-seconds")
        {
            Description = "write the rows held every this many seconds (what a crash can lose)",
            DefaultValueFactory = _ => 2,
        };
        var command = new Command("listen",
            "raw tables from the broker: subscribe to the devices' telemetry, events, alerts and forecasts and append them as the cloud's " +
            "rules and Firehose do, until Ctrl+C")
        {
            broker, ca, cert, key, clientId, flush,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var seconds = parse.GetValue(flush);
            if (!TryEndpoint(parse.GetValue(broker)!, out var host, out var port) || seconds is not (> 0 and <= 3600))
            {
                await error.WriteLineAsync("listen: --broker must be HOST:PORT, --flush-seconds in (0, 3600]").ConfigureAwait(false);
                return 64;
            }

            MqttTestClient client;
            try
            {
                client = await MqttTestClient.ConnectAsync(host, port, parse.GetValue(ca)!, parse.GetValue(cert)!, parse.GetValue(key)!,
                    parse.GetValue(clientId)!, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MqttCommunicationException or IOException or System.Security.Cryptography.CryptographicException)
            {
                await error.WriteLineAsync($"listen: cannot connect to {host}:{port}: {e.Message}").ConfigureAwait(false);
                return Unavailable;
            }

            await using (client.ConfigureAwait(false))
            {
                foreach (var filter in BrokerIngest.Filters)
                {
                    var granted = await client.SubscribeAsync(filter, cancellationToken).ConfigureAwait(false);
                    if ((int)granted > 2)
                    {
                        await error.WriteLineAsync($"listen: the broker refused the subscription to {filter} ({granted})").ConfigureAwait(false);
                        return Unavailable;
                    }
                }

                using var store = LocalLakeStore.OpenForAppend(parse.GetValue(lake)!);
                await output.WriteLineAsync(
                    $"listen: {host}:{port} → {store.Directory}/raw (flush every {seconds.ToString(CultureInfo.InvariantCulture)} s); " +
                    $"subscribed to {string.Join(", ", BrokerIngest.Filters)}; Ctrl+C stops").ConfigureAwait(false);
                // SIGTERM (systemd, kill) stops it as Ctrl+C does, so what is held is written: the runtime's default would end
                // the process without finishing the action.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
                {
                    signal.Cancel = true;
                    stop.Cancel();
                });
                var totals = await BrokerIngest.RunAsync(new RawRowBuffer(store), client.Received, () => client.IsConnected, TimeProvider.System,
                    TimeSpan.FromSeconds(seconds), line => output.WriteLine(line), stop.Token).ConfigureAwait(false);
                var rows = string.Join(", ", totals.Rows.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Value} {p.Key} rows")));
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"listen: stopped: {totals.Messages} messages, {totals.Refused} refused; {rows}")).ConfigureAwait(false);
                if (!client.IsConnected && !stop.IsCancellationRequested)
                {
                    await error.WriteLineAsync("listen: the broker closed the connection (what arrived is written); start it again").ConfigureAwait(false);
                    return Unavailable;
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>HOST:PORT, [v6]:PORT too.</summary>
    public static bool TryEndpoint(string text, out string host, out int port)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        host = colon > 0 ? text[..colon].Trim('[', ']') : "";
        port = 0;
        return host.Length > 0 && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and < 65536;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using MQTTnet.Exceptions;
using ShelfAgent.LocalIot;
using ShelfAgent.LocalLake.Ingest;
using ShelfAgent.LocalLake.Lake;
using ShelfAgent.Transport;

namespace ShelfAgent.LocalLake.Cli;

/// <summary>
/// <c>listen</c>: the raw tables filled from what devices publish on a broker over mutual TLS (<see cref="BrokerIngest"/>),
/// until Ctrl+C or SIGTERM, reconnecting when the connection drops (<see cref="ReconnectingIngest"/>). The client is the
/// local IoT Core's own MQTTnet client (<see cref="MqttTestClient"/>), not a second one.
/// </summary>
public static class ListenCommand
{
    /// <summary>
    /// Exit code when the first connection fails or the broker refuses a subscription (sysexits EX_UNAVAILABLE): a wrong
    /// address, certificate or policy must not retry for ever. A connection lost after that is reconnected instead.
    /// </summary>
    public const int Unavailable = 69;

    /// <summary>The reconnect waits: 1 s doubling to 30 s (the agent's <see cref="Backoff"/> ceilings, no jitter).</summary>
    public static Backoff Reconnect { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

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
        var session = new Option<double>("--session-hours")
        {
            Description = "how long the broker keeps listen's session while it is away (subscriptions, and what devices publish at QoS 1, " +
                          "delivered when it reconnects or starts again with the same --client-id); 0: a clean session, nothing kept",
            DefaultValueFactory = _ => 24,
        };
        var command = new Command("listen",
            "raw tables from the broker: subscribe to the devices' telemetry, events, alerts and forecasts and append them as the cloud's " +
            "rules and Firehose do, until Ctrl+C. The first connection must succeed (exit 69 otherwise); a connection lost later is " +
            "reconnected after 1 s, doubling to 30 s, with the same session")
        {
            broker, ca, cert, key, clientId, flush, session,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var seconds = parse.GetValue(flush);
            var hours = parse.GetValue(session);
            if (!TryEndpoint(parse.GetValue(broker)!, out var host, out var port) || seconds is not (> 0 and <= 3600) || hours is not (>= 0 and <= 8760))
            {
                await error.WriteLineAsync("listen: --broker must be HOST:PORT, --flush-seconds in (0, 3600], --session-hours in [0, 8760]")
                    .ConfigureAwait(false);
                return 64;
            }

            var connect = Connector(host, port, parse.GetValue(ca)!, parse.GetValue(cert)!, parse.GetValue(key)!, parse.GetValue(clientId)!,
                hours > 0 ? TimeSpan.FromHours(hours) : null);
            MqttTestClient client;
            try
            {
                client = await connect(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MqttCommunicationException or IOException or System.Security.Cryptography.CryptographicException)
            {
                await error.WriteLineAsync($"listen: cannot connect to {host}:{port}: {e.Message}").ConfigureAwait(false);
                return Unavailable;
            }

            using var store = LocalLakeStore.OpenForAppend(parse.GetValue(lake)!);
            await output.WriteLineAsync(
                $"listen: {host}:{port} → {store.Directory}/raw (flush every {seconds.ToString(CultureInfo.InvariantCulture)} s); " +
                $"subscribing to {string.Join(", ", BrokerIngest.Filters)}; " +
                (hours > 0
                    ? $"session kept {hours.ToString(CultureInfo.InvariantCulture)} h{(client.SessionPresent ? " (resumed)" : "")}; "
                    : "clean session; ") +
                "Ctrl+C stops").ConfigureAwait(false);
            // SIGTERM (systemd, kill) stops it as Ctrl+C does, so what is held is written: the runtime's default would end
            // the process without finishing the action.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                stop.Cancel();
            });
            var ingest = new ReconnectingIngest(connect, $"{host}:{port}", Reconnect, TimeProvider.System, TimeSpan.FromSeconds(seconds),
                line => output.WriteLine(line));
            var outcome = await ingest.RunAsync(client, new RawRowBuffer(store), stop.Token).ConfigureAwait(false);
            var totals = outcome.Totals;
            var rows = string.Join(", ", totals.Rows.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Value} {p.Key} rows")));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"listen: stopped: {totals.Messages} messages, {totals.Refused} refused; {rows}; {outcome.Reconnects} reconnects")).ConfigureAwait(false);
            if (outcome.Refused is { } refused)
            {
                await error.WriteLineAsync($"listen: the broker refused the subscription to {refused}").ConfigureAwait(false);
                return Unavailable;
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Connects listen's client: mutual TLS with the given identity, and with <paramref name="session"/> a persistent
    /// session of that expiry (the same client id each time, so the broker hands back what it kept).
    /// </summary>
    public static Func<CancellationToken, Task<MqttTestClient>> Connector(
        string host, int port, string caFile, string certFile, string keyFile, string clientId, TimeSpan? session) =>
        cancellationToken => MqttTestClient.ConnectAsync(host, port, caFile, certFile, keyFile, clientId, cancellationToken, persistentSession: session);

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

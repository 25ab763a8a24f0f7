using System.CommandLine;
using System.Globalization;
using ShelfAgent.LocalIot.Provisioning;

namespace ShelfAgent.LocalIot.Cli;

/// <summary>
/// <c>local-iot-core start</c>: mosquitto and the service on 127.0.0.1 until Ctrl-C or SIGTERM, keeping everything in
/// the state folder. Prints a line for every request it answers, so a person sees the device's shadow and jobs traffic.
/// </summary>
internal static class StartCommand
{
    public static Command Create(Option<string> state)
    {
        var port = new Option<int>("--port", "-p") { Description = "Port on 127.0.0.1 (mutual TLS)", DefaultValueFactory = _ => 8883 };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print a line per request answered" };
        var command = new Command("start", "Run a local AWS IoT Core (mosquitto + the shadow, jobs and fleet provisioning service) on 127.0.0.1 until Ctrl-C")
        {
            port, quiet,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var folder = Path.GetFullPath(parse.GetValue(state)!);
            var options = new LocalIotCoreOptions
            {
                StateDirectory = folder,
                Port = parse.GetValue(port),
                Log = parse.GetValue(quiet) ? null : line => output.WriteLine($"{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {line}"),
            };
            LocalIotCore core;
            try
            {
                core = await LocalIotCore.StartAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"start: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            await using (core.ConfigureAwait(false))
            {
                // The templates the claim and device policies name, so `shelf-agent provision` and rotate-certificate jobs work here too.
                core.AddProvisioningTemplate(new ProvisioningTemplate(options.ProvisioningTemplate)
                {
                    RequiredParameters = ["ThingName"],
                    AttributesFromParameters = new Dictionary<string, string> { ["storeId"] = "StoreId" },
                });
                core.AddProvisioningTemplate(new ProvisioningTemplate(options.RotationTemplate));
                var things = core.Registry.Things().Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
                await output.WriteLineAsync($"local-iot-core: mosquitto on {core.Host}:{core.Port} (mutual TLS), state {folder}").ConfigureAwait(false);
                await output.WriteLineAsync($"  devices trust {core.CaFile}; things: {(things.Count == 0 ? "none yet" : string.Join(", ", things))}")
                    .ConfigureAwait(false);
                await output.WriteLineAsync(
                    $"  from another terminal: local-iot-core --state {folder} thing add NAME --attr storeId=S --out DIR | job create … | shadow desire …")
                    .ConfigureAwait(false);
                await output.WriteLineAsync("  Ctrl-C stops it.").ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C or SIGTERM: stop in order (the service's connection, then mosquitto).
                }

                await output.WriteLineAsync("local-iot-core: stopping").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Control;
using ShelfAgent.LocalIot.Pki;

namespace ShelfAgent.LocalIot.Cli;

/// <summary>
/// <c>local-iot-core observer add NAME --out DIR</c>: a certificate for a person's subscriber (mosquitto_sub, a
/// dashboard), like the AWS console's MQTT test client: it may subscribe to and receive every device topic and publish
/// nothing.
/// </summary>
internal static class ObserverCommand
{
    public static Command Create(Option<string> state)
    {
        var name = new Argument<string>("name") { Description = "The observer's name: its certificate's CN (use it as the MQTT client id)" };
        var output = new Option<string>("--out", "-o") { Description = "Write NAME.crt, NAME.key (0600) and ca.crt here", Required = true };
        var add = new Command("add", "Issue a read-only certificate for a subscriber") { name, output };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var observer = parse.GetValue(name)!;
            var (csr, key) = SigningRequest.Create(observer);
            using (key)
            {
                var request = new JsonObject { ["name"] = observer, ["certificateSigningRequest"] = csr };
                return await ControlCommand.RunAsync(parse, state, ControlOperation.RegisterObserver, request, async (_, body) =>
                {
                    var files = CertificateFiles.Write(
                        parse.GetValue(output)!, observer, body["certificatePem"]!.GetValue<string>(), key, parse.GetValue(state)!);
                    var text = parse.InvocationConfiguration.Output;
                    await text.WriteLineAsync($"observer {observer}: may subscribe to and receive every device topic, publish nothing").ConfigureAwait(false);
                    await text.WriteLineAsync($"certificate  {files.Cert}").ConfigureAwait(false);
                    await text.WriteLineAsync($"key (0600)   {files.Key}").ConfigureAwait(false);
                    await text.WriteLineAsync($"CA           {files.Ca}").ConfigureAwait(false);
                    return ExitCodes.Ok;
                }, cancellationToken).ConfigureAwait(false);
            }
        });
        return new Command("observer", "Read-only subscribers of the running core") { add };
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Control;
using ShelfAgent.LocalIot.Pki;

namespace ShelfAgent.LocalIot.Cli;

/// <summary>
/// <c>local-iot-core thing add NAME [--attr K=V]… [--out DIR]</c>: registers a thing with the running core and, with
/// --out, gives it a certificate: the key and the CSR are made here, the core signs the CSR (the key never travels),
/// attaches the certificate and lets the broker's ACL follow.
/// </summary>
internal static class ThingCommand
{
    public static Command Create(Option<string> state)
    {
        var name = new Argument<string>("name") { Description = "Thing name ([a-zA-Z0-9:_-]{1,128}): the certificate's CN and the device's MQTT client id" };
        var attributes = new Option<string[]>("--attr", "-a")
        {
            Description = "Thing attribute KEY=VALUE (repeat; the device policy needs storeId)",
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string?>("--out", "-o") { Description = "Write NAME.crt, NAME.key (0600) and ca.crt here (a new certificate each time)" };
        var rsa = new Option<bool>("--rsa") { Description = "An RSA 2048 key instead of EC P-256" };
        var add = new Command("add", "Register (or update) a thing and, with --out, issue its certificate") { name, attributes, output, rsa };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var thing = parse.GetValue(name)!;
            if (ControlCommand.Pairs(parse.GetValue(attributes) ?? [], out var problem) is not { } pairs)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"add: --attr {problem}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var request = new JsonObject
            {
                ["thingName"] = thing,
                ["attributes"] = new JsonObject([.. pairs.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
            };
            var directory = parse.GetValue(output);
            var (csr, key) = directory is null ? (null, null) : SigningRequest.Create(thing, parse.GetValue(rsa) ? KeyKind.Rsa2048 : KeyKind.EcP256);
            using (key)
            {
                if (csr is not null)
                {
                    request["certificateSigningRequest"] = csr;
                }

                return await ControlCommand.RunAsync(parse, state, ControlOperation.RegisterThing, request, async (_, body) =>
                {
                    var text = parse.InvocationConfiguration.Output;
                    var shown = pairs.Count == 0 ? "no attributes" : string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"));
                    await text.WriteLineAsync($"thing {thing} registered ({shown})").ConfigureAwait(false);
                    if (directory is not null && key is not null)
                    {
                        var files = CertificateFiles.Write(directory, thing, body["certificatePem"]!.GetValue<string>(), key, parse.GetValue(state)!);
                        await text.WriteLineAsync($"certificate  {files.Cert}  (CN={thing}, id {body["certificateId"]})").ConfigureAwait(false);
                        await text.WriteLineAsync($"key (0600)   {files.Key}").ConfigureAwait(false);
                        await text.WriteLineAsync($"CA           {files.Ca}").ConfigureAwait(false);
                    }

                    return ExitCodes.Ok;
                }, cancellationToken).ConfigureAwait(false);
            }
        });
        return new Command("thing", "Things of the running core") { add };
    }
}

using System.CommandLine;
using ShelfAgent.Security;

namespace ShelfAgent.Cli;

/// <summary>
/// <c>shelf-agent dev-certs --out DIR --thing NAME</c>: a development CA, a broker certificate for
/// localhost/127.0.0.1/::1 and a device certificate with CN = thing name, for a local mosquitto.
/// </summary>
public static class DevCertsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var outDir = new Option<string>("--out", "-o") { Description = "Folder to write into (created 0700)", Required = true };
        var thing = new Option<string>("--thing", "-t") { Description = "Thing name: the device certificate's CN and the MQTT client id", Required = true };
        var rsa = new Option<bool>("--rsa") { Description = "Give the device an RSA 2048 key instead of EC P-256" };
        var command = new Command("dev-certs", "Make development certificates for a local mosquitto (never for production: see certs/README.md)")
        {
            outDir, thing, rsa,
        };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(outDir)!;
            var name = parse.GetValue(thing)!;
            try
            {
                var set = DevCertificateSet.Create(dir, name, parse.GetValue(rsa) ? KeyKind.Rsa2048 : KeyKind.EcP256);
                var output = parse.InvocationConfiguration.Output;
                output.WriteLine($"CA certificate      {set.CaCertificate}");
                output.WriteLine($"CA key (0600)       {set.CaKey}");
                output.WriteLine($"broker certificate  {set.ServerCertificate}  (localhost, 127.0.0.1, ::1)");
                output.WriteLine($"broker key (0600)   {set.ServerKey}");
                output.WriteLine($"device certificate  {set.DeviceCertificate}  (CN={name})");
                output.WriteLine($"device key (0600)   {set.DeviceKey}");
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"dev-certs: {e.Message}");
                return ExitCodes.IoError;
            }
        });
        return command;
    }
}

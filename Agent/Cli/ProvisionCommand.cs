using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Config;
using ShelfAgent.IotCore;
using ShelfAgent.IotCore.Provisioning;
using ShelfAgent.Security;
using ShelfAgent.Transport;

namespace ShelfAgent.Cli;

/// <summary>
/// <c>shelf-agent provision</c>: fleet provisioning by claim (issue 14; certs/README.md). Exit codes: 0 provisioned;
/// 64 wrong arguments; 66 claim certificate or key unreadable; 69 broker unreachable, claim refused, no answer, or the
/// new identity did not connect; 73 an identity exists (use --force); 74 a file could not be written; 77 AWS rejected a
/// step (its statusCode, errorCode and errorMessage are printed); 78 agent.json is wrong. Any failure can be run again.
/// </summary>
public static class ProvisionCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var claimCert = new Option<string>("--claim-cert")
        {
            Description = "Claim certificate (PEM) shared by a batch of devices; used only to get this device its own",
            Required = true,
        };
        var claimKey = new Option<string>("--claim-key") { Description = "The claim certificate's private key (PEM)", Required = true };
        var template = new Option<string>("--template") { Description = "Fleet provisioning template name ([0-9A-Za-z_-], 1-36 characters)", Required = true };
        var param = new Option<string[]>("--param")
        {
            Description = "Template parameter Key=Value (repeat for each, e.g. --param ThingName=shelf-0042 --param StoreId=store-7)",
            AllowMultipleArgumentsPerToken = false,
        };
        var config = CliOptions.Config();
        var force = new Option<bool>("--force") { Description = "Replace the identity agent.json already names (its certificate stays registered in AWS)" };
        var keyType = new Option<string>("--key-type") { Description = "Device key: ec (P-256, default) or rsa (2048)", DefaultValueFactory = _ => "ec" };
        keyType.AcceptOnlyFromAmong("ec", "rsa");
        var certs = new Option<string?>("--certs")
        {
            Description = "Folder for device.crt and device.key (default: certs/ beside agent.json, i.e. /etc/shelf-agent/certs)",
        };
        var command = new Command(
            "provision",
            "Give this device its own certificate by fleet provisioning with a claim certificate: " +
            "key made on the device, CSR, RegisterThing, agent.json updated; " +
            "exit 0 done, 73 identity exists (--force), 77 AWS rejected a step, 69 unreachable, 78 bad agent.json; safe to run again after any failure")
        {
            claimCert, claimKey, template, param, config, force, keyType, certs,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var templateName = parse.GetValue(template)!;
            var (parameters, problems) = TemplateParameters.Parse(parse.GetValue(param) ?? []);
            if (!ProvisioningPayloads.IsTemplateName(templateName))
            {
                problems = [.. problems, $"--template takes a template name of 1-36 letters, digits, '_' or '-' (was \"{templateName}\")"];
            }

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    error.WriteLine($"provision: {problem}");
                }

                return ExitCodes.Usage;
            }

            var claim = (Cert: parse.GetValue(claimCert)!, Key: parse.GetValue(claimKey)!);
            foreach (var (name, path) in new[] { ("--claim-cert", claim.Cert), ("--claim-key", claim.Key) })
            {
                if (!CanRead(path, out var why))
                {
                    error.WriteLine($"provision: {name} {path}: {why}");
                    return ExitCodes.NoInput;
                }
            }

            var options = ConfigLoading.TryLoad(parse.GetValue(config)!, error, out _, ConfigUse.Endpoint);
            if (options is null)
            {
                return ExitCodes.Config;
            }

            var request = new ProvisioningRequest(claim.Cert, claim.Key, templateName, parameters, options.SourceFile,
                parse.GetValue(certs) ?? Path.Combine(Path.GetDirectoryName(options.SourceFile)!, "certs"),
                parse.GetValue(keyType) == "rsa" ? KeyKind.Rsa2048 : KeyKind.EcP256, parse.GetValue(force));
            var connector = new MqttIotConnector(_ => MqttTransportOptions.FromConfig(options.Mqtt, ""), TimeProvider.System, NullLoggerFactory.Instance);
            var result = await new ClaimProvisioner(connector, TimeProvider.System, output).RunAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.Status == ProvisioningStatus.Provisioned)
            {
                output.WriteLine(result.Message);
                output.WriteLine("next: sudo systemctl restart shelf-agent (or: shelf-agent run)");
                return ExitCodes.Ok;
            }

            error.WriteLine($"provision: {result.Message}");
            if (result.Error is { } aws)
            {
                error.WriteLine($"  statusCode:   {aws.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}");
                error.WriteLine($"  errorCode:    {aws.ErrorCode ?? "(none)"}");
                error.WriteLine($"  errorMessage: {aws.ErrorMessage ?? "(none)"}");
            }

            if (result.Hint is { } hint)
            {
                error.WriteLine($"what to do: {hint}");
            }

            return ExitCodeOf(result.Status);
        });
        return command;
    }

    /// <summary>The exit code for a provisioning outcome (documented in certs/README.md).</summary>
    public static int ExitCodeOf(ProvisioningStatus status) => status switch
    {
        ProvisioningStatus.Provisioned => ExitCodes.Ok,
        ProvisioningStatus.IdentityExists => ExitCodes.CannotCreate,
        ProvisioningStatus.Rejected => ExitCodes.NoPermission,
        ProvisioningStatus.FileError => ExitCodes.IoError,
        _ => ExitCodes.Unavailable,
    };

    private static bool CanRead(string path, out string why)
    {
        try
        {
            using var stream = File.OpenRead(path);
            why = "";
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            why = e is FileNotFoundException or DirectoryNotFoundException ? "file not found" : e.Message;
            return false;
        }
    }
}

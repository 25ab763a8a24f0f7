using System.CommandLine;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Config;
using ShelfAgent.Diagnostics;

namespace ShelfAgent.Cli;

/// <summary>
/// <c>shelf-agent doctor</c>: diagnose a device that does not send. One finding per line whatever the width
/// (<c>doctor | grep Buffer</c> keeps the fix on the line it belongs to), or <c>--json</c> for scripts and
/// tickets; the exit code says which class of finding failed (<see cref="DoctorExitCode"/>).
/// </summary>
public static class DoctorCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var config = CliOptions.Config();
        var noConnect = new Option<bool>("--no-connect")
        {
            Description = "Skip the broker connection and the round trip (they briefly disconnect a running agent: same client id)",
        };
        var json = new Option<bool>("--json")
        {
            Description = "One JSON document: {\"config\", \"exitCode\", \"findings\": [{\"check\", \"status\", \"detail\"}]}",
        };
        var asUser = new Option<string?>("--as-user")
        {
            Description =
                $"Check file access as this user (default: {ServiceUserAccess.DefaultServiceUser}, the service's user, when run as root and it exists)",
        };
        var command = new Command(
            "doctor",
            "Check config, clock, certificate, key permissions, calibration, I2C sensors, buffer, DNS, the broker's CA, " +
            "a real broker connection (443 with ALPN when the port is blocked) and a publish/receive round trip; " +
            "exit 0 all passed, 78 a fix on the device, 69 cannot deliver")
        {
            config, noConnect, json, asUser,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(config)!;
            var output = parse.InvocationConfiguration.Output;
            var findings = new List<CheckResult>();
            var writer = new FindingWriter(output, parse.GetValue(json), !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out));
            AgentOptions options;
            IReadOnlyList<string> warnings;
            try
            {
                // The buffer folder and calibration file are doctor's own checks below (as the service user), not load failures.
                options = AgentConfigLoader.Load(path, out warnings, use: ConfigUse.Slots | ConfigUse.Broker | ConfigUse.Sampling);
            }
            catch (ConfigException e)
            {
                findings.AddRange(e.Problems.Select(p => new CheckResult("config", CheckStatus.Fail, $"{e.File}: {p.Name}: {p.Message}")));
                writer.WriteAll(findings, e.File);
                return DoctorExitCode.For(findings);
            }

            var request = new DoctorRequest(!parse.GetValue(noConnect), warnings, ServiceUserAccess.Create(parse.GetValue(asUser)));
            await foreach (var check in DeviceDoctor.RunAsync(options, request, TimeProvider.System, NullLoggerFactory.Instance, cancellationToken)
                .ConfigureAwait(false))
            {
                findings.Add(check);
                writer.Write(check);
            }

            writer.Finish(findings, options.SourceFile);
            return DoctorExitCode.For(findings);
        });
        return command;
    }

    /// <summary>Text lines as findings arrive (a slow broker check does not hide the others), or one JSON document at the end.</summary>
    private sealed class FindingWriter(TextWriter output, bool json, bool colour)
    {
        public void Write(CheckResult check)
        {
            if (json)
            {
                return;
            }

            var mark = check.Status switch
            {
                CheckStatus.Ok => colour ? "\u001b[32mok  \u001b[0m" : "ok  ",
                CheckStatus.Warn => colour ? "\u001b[33mwarn\u001b[0m" : "warn",
                _ => colour ? "\u001b[31mFAIL\u001b[0m" : "FAIL",
            };

            // Never wrapped: one finding, one line, whatever the terminal's width.
            output.WriteLine($"{mark} {check.Check,-18} {Flatten(check.Detail)}");
            output.Flush();
        }

        public void WriteAll(IReadOnlyList<CheckResult> findings, string file)
        {
            foreach (var f in findings)
            {
                Write(f);
            }

            Finish(findings, file);
        }

        public void Finish(IReadOnlyList<CheckResult> findings, string file)
        {
            if (!json)
            {
                return;
            }

            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(
                buffer,
                new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("config", file);
                w.WriteNumber("exitCode", DoctorExitCode.For(findings));
                w.WriteStartArray("findings");
                foreach (var f in findings)
                {
                    w.WriteStartObject();
                    w.WriteString("check", f.Check);
                    w.WriteString("status", f.Status.ToString().ToLowerInvariant());
                    w.WriteString("detail", f.Detail);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        }

        private static string Flatten(string detail) => detail.ReplaceLineEndings(" ");
    }
}

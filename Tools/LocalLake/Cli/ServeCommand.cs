using System.CommandLine;
using ShelfAgent.LocalLake.Releases;
using ShelfAgent.LocalLake.Serving;

namespace ShelfAgent.LocalLake.Cli;

/// <summary><c>serve</c>: the published releases over HTTPS on 127.0.0.1, where the profiles-update jobs point (<see cref="ReleaseFileServer"/>).</summary>
public static class ServeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(Option<string> lake)
    {
        var port = new Option<int>("--port") { Description = "port on 127.0.0.1 (0: any free port)", DefaultValueFactory = _ => 8443 };
        var folder = new Option<string?>("--folder") { Description = "the folder to serve (default <lake>/published)" };
        var certs = new Option<string?>("--certs")
        {
            Description = "a development CA folder (as shelf-agent dev-certs writes; default <lake>/https): its server.crt, made with ca.crt when absent",
        };
        var command = new Command("serve", "serve the published release files over HTTPS on 127.0.0.1 until Ctrl+C (the stand-in for S3)")
        {
            port, folder, certs,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(lake)!);
            var root = parse.GetValue(folder) ?? ReleaseDelivery.PublishedFolder(directory);
            var ca = parse.GetValue(certs) ?? Path.Combine(directory, "https");
            var server = await ReleaseFileServer.StartAsync(root, parse.GetValue(port), ca, cancellationToken).ConfigureAwait(false);
            await using (server.ConfigureAwait(false))
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(
                    $"serve: {Path.GetFullPath(root)} at {server.BaseUrl} (use it as --base-url); devices trust {server.CaFile} " +
                    "(e.g. SSL_CERT_FILE for the agent); Ctrl+C stops").ConfigureAwait(false);
                await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}

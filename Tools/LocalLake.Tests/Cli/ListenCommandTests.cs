using System.CommandLine;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalLake.Cli;

namespace ShelfAgent.LocalLake.Tests.Cli;

/// <summary>listen's first connection: it must succeed, or listen exits 69 at once instead of retrying for ever.</summary>
public sealed class ListenCommandTests
{
    [Fact]
    public async Task Listen_exits_69_at_once_when_the_first_connection_fails()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var broker = await MosquittoBroker.StartAsync(cancellationToken: cancel.Token);
        var (cert, key) = broker.IssueDevice("local-lake");
        // Real certificates, a port where nothing answers any more: the mistake of a listen started before its broker.
        await broker.StopAsync(cancel.Token);
        var lake = Directory.CreateTempSubdirectory("local-lake-listen-cli-").FullName;
        try
        {
            var text = new StringWriter();
            var code = await LakeCli.Create()
                .Parse(["--lake", lake, "listen", "--broker", $"{broker.Host}:{broker.Port}", "--ca", broker.CaFile, "--cert", cert, "--key", key])
                .InvokeAsync(new InvocationConfiguration { Output = text, Error = text }, cancel.Token);

            Assert.Equal(ListenCommand.Unavailable, code);
            Assert.Contains($"listen: cannot connect to {broker.Host}:{broker.Port}", text.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(lake, recursive: true);
        }
    }

    [Fact]
    public void Listen_help_says_it_reconnects_and_that_the_first_connection_must_succeed()
    {
        var listen = LakeCli.Create().Subcommands.Single(c => c.Name == "listen");

        Assert.Contains("The first connection must succeed (exit 69 otherwise)", listen.Description, StringComparison.Ordinal);
        Assert.Contains("reconnected after 1 s, doubling to 30 s", listen.Description, StringComparison.Ordinal);
        Assert.Contains(listen.Options, o => o.Name == "--session-hours");
    }
}

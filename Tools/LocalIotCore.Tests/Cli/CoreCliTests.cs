using System.Text;
using System.Text.Json.Nodes;
using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.LocalIot.Tests.Cli;

/// <summary>
/// local-iot-core as a person uses it: start it on a state folder, register a thing from a second terminal, send the
/// device a job and a desired change, follow the job, stop it and start it again with everything kept.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CoreCliTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly string _dir = Directory.CreateTempSubdirectory("core-cli-").FullName;

    private string State => Path.Combine(_dir, "state");

    private string Certs => Path.Combine(_dir, "certs");

    [Fact]
    public async Task Device_gets_a_job_and_a_desired_change_sent_from_a_second_terminal_and_both_survive_a_restart()
    {
        var port = FreePort.Next();
        await using (var core = await CoreProcess.StartAsync(State, port))
        {
            var (added, addOutput) = await CoreProcess.RunAsync("--state", State, "thing", "add", "shelf-1", "--attr", "storeId=s1", "--out", Certs);
            Assert.True(added == 0, addOutput);
            await using var device = await MqttTestClient.ConnectAsync("127.0.0.1", port, Path.Combine(Certs, "ca.crt"),
                Path.Combine(Certs, "shelf-1.crt"), Path.Combine(Certs, "shelf-1.key"), "shelf-1", default);
            await device.SubscribeAsync("$aws/things/shelf-1/jobs/notify-next", default);
            await device.SubscribeAsync("$aws/things/shelf-1/shadow/update/delta", default);

            var (created, createOutput) = await CoreProcess.RunAsync("job", "create", "--state", State, "--thing", "shelf-1", "--id", "cfg-1",
                "--document", """{"operation":"config-update","changes":{"Publish":{"IntervalMs":10000}}}""");
            Assert.True(created == 0, createOutput);
            var next = Json(await device.NextAsync("$aws/things/shelf-1/jobs/notify-next", Wait));
            Assert.Equal(10000, next["execution"]!["jobDocument"]!["changes"]!["Publish"]!["IntervalMs"]!.GetValue<int>());

            var (desired, desireOutput) = await CoreProcess.RunAsync("--state", State, "shadow", "desire", "--thing", "shelf-1",
                """{"Sampling":{"IntervalMs":2000}}""");
            Assert.True(desired == 0, desireOutput);
            var delta = Json(await device.NextAsync("$aws/things/shelf-1/shadow/update/delta", Wait));
            Assert.Equal(2000, delta["state"]!["Sampling"]!["IntervalMs"]!.GetValue<int>());

            await device.PublishAsync("$aws/things/shelf-1/jobs/start-next", "{}", default);
            await device.PublishAsync(
                "$aws/things/shelf-1/jobs/cfg-1/update", """{"status":"SUCCEEDED","statusDetails":{"applied":"Publish:IntervalMs"}}""", default);
            Assert.Contains("SUCCEEDED (QUEUED → IN_PROGRESS → SUCCEEDED)", await ShowJobUntilAsync("SUCCEEDED"), StringComparison.Ordinal);

            await core.StopAsync();
            Assert.True(core.ExitCode == 0, core.Output);
            Assert.Contains("jobs/cfg-1/update", core.Output, StringComparison.Ordinal);
        }

        var (unavailable, unavailableOutput) = await CoreProcess.RunAsync("--state", State, "shadow", "show", "--thing", "shelf-1");
        Assert.Equal(69, unavailable);
        Assert.Contains("no local-iot-core runs on", unavailableOutput, StringComparison.Ordinal);

        await using (await CoreProcess.StartAsync(State, FreePort.Next()))
        {
            Assert.Contains("statusDetails  applied=Publish:IntervalMs", await ShowJobUntilAsync("SUCCEEDED"), StringComparison.Ordinal);
            var (shown, shadow) = await CoreProcess.RunAsync("--state", State, "shadow", "show", "--thing", "shelf-1");
            Assert.Equal(0, shown);
            Assert.Equal(2000, JsonNode.Parse(shadow)!["state"]!["desired"]!["Sampling"]!["IntervalMs"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task Commands_name_what_is_wrong_with_a_request_and_exit_non_zero()
    {
        await using var core = await CoreProcess.StartAsync(State, FreePort.Next());

        var unknownThing = await CoreProcess.RunAsync("--state", State, "job", "create", "--thing", "nobody", "--id", "j1", "--document", "{}");
        var notJson = await CoreProcess.RunAsync("--state", State, "shadow", "desire", "--thing", "nobody", "{not json");
        var missingOption = await CoreProcess.RunAsync("--state", State, "job", "show", "--thing", "nobody");

        Assert.Equal(1, unknownThing.Code);
        Assert.Contains("refused: ResourceNotFound: no thing nobody", unknownThing.Output, StringComparison.Ordinal);
        Assert.Equal(64, notJson.Code);
        Assert.Equal(64, missingOption.Code);
    }

    [Theory]
    [InlineData("start")]
    [InlineData("thing", "add")]
    [InlineData("observer", "add")]
    [InlineData("job", "create")]
    [InlineData("job", "show")]
    [InlineData("job", "list")]
    [InlineData("job", "cancel")]
    [InlineData("shadow", "desire")]
    [InlineData("shadow", "show")]
    public async Task Every_command_has_help(params string[] command)
    {
        var (code, output) = await CoreProcess.RunAsync([.. command, "--help"]);

        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("--state", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<string> ShowJobUntilAsync(string status)
    {
        using var bound = new CancellationTokenSource(Wait);
        while (true)
        {
            var (code, output) = await CoreProcess.RunAsync("--state", State, "job", "show", "--thing", "shelf-1", "--id", "cfg-1");
            Assert.True(code == 0, output);
            if (output.Contains($": {status} (", StringComparison.Ordinal))
            {
                return output;
            }

            await Task.Delay(200, bound.Token);
        }
    }

    private static JsonObject Json(MQTTnet.MqttApplicationMessage message) => JsonNode.Parse(Encoding.UTF8.GetString(message.Payload))!.AsObject();
}

using System.Diagnostics;
using System.Globalization;
using ShelfAgent.Tests.Integration;

namespace ShelfAgent.Tests.Simulator;

/// <summary>The real shelf-sim executable, its output as a person reads it (one broker for the class).</summary>
[Collection(FleetAtScaleTests.Collection)]
public sealed class ShelfSimOutputTests(SharedBroker shared) : IClassFixture<SharedBroker>
{
    private static async Task<(int Code, string Output)> SimAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "shelf-sim.dll") }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string[] Fleet(string certs, string work, int port) =>
    [
        "--stores", "1", "--devices-per-store", "2", "--slots", "3", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
        "--certs", certs, "--work-dir", work, "--seconds", "8", "--time-scale", "600", "--sampling-ms", "60000",
    ];

    [Fact]
    public async Task Shelf_sim_sums_up_sensor_faults_per_kind_instead_of_a_line_per_failed_read()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared);

        var (code, output) = await SimAsync([.. Fleet(env.Broker.Directory, env.Folder, env.Broker.Port), "--fault-probability", "0.3"]);

        Assert.True(code == 0, output);
        Assert.Matches(@"shelf-sim: [\d,]+ simulated sensor faults on 2 devices: timeout [\d,]+", output);
        Assert.DoesNotContain("sensor simulated load cell", output, StringComparison.Ordinal); // no per-read warnings
        Assert.True(output.Split('\n').Length < 15, output);
    }

    [Fact]
    public async Task Shelf_sim_exits_non_zero_naming_the_devices_when_nothing_was_delivered()
    {
        await using var env = await IntegrationEnvironment.StartAsync(shared); // only for its CA: nothing listens on the port used
        var port = FreePort.Next();

        var (code, output) = await SimAsync(Fleet(env.Broker.Directory, env.Folder, port));

        Assert.Equal(69, code);
        Assert.Contains($"shelf-sim: nothing was delivered to 127.0.0.1:{port}", output, StringComparison.Ordinal);
        Assert.Matches(@"\] sim-0001-0[12]: MQTT connect attempt", output);
    }
}

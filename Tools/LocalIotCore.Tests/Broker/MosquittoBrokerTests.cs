using System.Diagnostics;
using ShelfAgent.LocalIot.Broker;
using ShelfAgent.LocalIot.Pki;

namespace ShelfAgent.LocalIot.Tests.Broker;

/// <summary>The broker itself: its certificates satisfy a real mosquitto, and it keeps sessions across a restart.</summary>
public sealed class MosquittoBrokerTests
{
    [Theory]
    [InlineData(KeyKind.EcP256, KeyEncoding.Pkcs8)]
    [InlineData(KeyKind.Rsa2048, KeyEncoding.Traditional)]
    public async Task Broker_accepts_a_device_certificate_from_its_ca_when_mosquitto_pub_sends(KeyKind kind, KeyEncoding encoding)
    {
        await using var broker = await MosquittoBroker.StartAsync(MosquittoSub.LoggedSubscriptions);
        await using var sub = await MosquittoSub.StartAsync(broker, "dt/#", "test-subscriber");
        var (cert, key) = broker.IssueDevice("pub-device", kind, encoding);

        using var pub = Process.Start("mosquitto_pub",
        [
            "-h", broker.Host, "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cafile", broker.CaFile, "--cert", cert, "--key", key, "-q", "1", "-t", "dt/x", "-m", "hello",
        ])!;
        await pub.WaitForExitAsync();

        Assert.Equal(0, pub.ExitCode);
        Assert.True(await sub.WaitForAsync("hello", TimeSpan.FromSeconds(10)), sub.Errors + broker.ReadLog());
    }

    [Fact]
    public async Task Subscriber_keeps_its_subscription_when_the_broker_restarts()
    {
        await using var broker = await MosquittoBroker.StartAsync(MosquittoSub.LoggedSubscriptions);
        await using var sub = await MosquittoSub.StartAsync(broker, "dt/#", "test-subscriber");
        var (cert, key) = broker.IssueDevice("pub-device");
        await broker.StopAsync();

        await broker.StartAgainAsync();
        using var pub = Process.Start("mosquitto_pub",
        [
            "-h", broker.Host, "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cafile", broker.CaFile, "--cert", cert, "--key", key, "-q", "1", "-t", "dt/y", "-m", "after-restart",
        ])!;
        await pub.WaitForExitAsync();

        Assert.True(await sub.WaitForAsync("after-restart", TimeSpan.FromSeconds(20)), sub.Errors + broker.ReadLog());
    }
}

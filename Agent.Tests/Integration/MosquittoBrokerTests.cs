using System.Diagnostics;
using ShelfAgent.Security;

namespace ShelfAgent.Tests.Integration;

/// <summary>The fixture itself: proves the generated certificates satisfy a real mosquitto before other tests rely on it.</summary>
public sealed class MosquittoBrokerTests
{
    [Theory]
    [InlineData(KeyKind.EcP256, KeyEncoding.Pkcs8)]
    [InlineData(KeyKind.Rsa2048, KeyEncoding.Traditional)]
    public async Task Broker_accepts_a_device_certificate_from_its_ca_when_mosquitto_pub_sends(KeyKind kind, KeyEncoding encoding)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var sub = await MosquittoSubscriber.StartAsync(broker, "dt/#");
        var (cert, key) = broker.IssueDevice("pub-device", kind, encoding);

        using var pub = Process.Start("mosquitto_pub",
        [
            "-h", broker.Host, "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cafile", broker.CaFile, "--cert", cert, "--key", key, "-q", "1", "-t", "dt/x", "-m", "hello",
        ])!;
        await pub.WaitForExitAsync();

        Assert.Equal(0, pub.ExitCode);
        Assert.True(await sub.WaitUntilAsync(m => m.Any(x => x.Payload == "hello"), TimeSpan.FromSeconds(10)), broker.ReadLog());
    }

    [Fact]
    public async Task Subscriber_keeps_its_subscription_when_the_broker_restarts()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var sub = await MosquittoSubscriber.StartAsync(broker, "dt/#");
        var (cert, key) = broker.IssueDevice("pub-device");
        await broker.StopAsync();

        await broker.StartAgainAsync();
        using var pub = Process.Start("mosquitto_pub",
        [
            "-h", broker.Host, "-p", broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cafile", broker.CaFile, "--cert", cert, "--key", key, "-q", "1", "-t", "dt/y", "-m", "after-restart",
        ])!;
        await pub.WaitForExitAsync();

        Assert.True(await sub.WaitUntilAsync(m => m.Any(x => x.Payload == "after-restart"), TimeSpan.FromSeconds(20)), sub.Errors + broker.ReadLog());
    }
}

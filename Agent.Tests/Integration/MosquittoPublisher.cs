using System.Diagnostics;
using System.Globalization;

namespace ShelfAgent.Tests.Integration;

/// <summary>An independent publisher: the real mosquitto_pub, one QoS 1 message, with its own certificate.</summary>
public static class MosquittoPublisher
{
    /// <summary>Publishes <paramref name="payload"/> on <paramref name="topic"/>; returns once the broker acknowledged it.</summary>
    public static async Task PublishAsync(
        string host, int port, string caFile, (string CertFile, string KeyFile) identity, string clientId, string topic, string payload)
    {
        var start = new ProcessStartInfo("mosquitto_pub",
        [
            "-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), "--cafile", caFile, "--cert", identity.CertFile, "--key", identity.KeyFile,
            "-i", clientId, "-q", "1", "-t", topic, "-m", payload,
        ])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var publisher = Process.Start(start) ?? throw new InvalidOperationException("mosquitto_pub did not start");
        var error = await publisher.StandardError.ReadToEndAsync();
        await publisher.WaitForExitAsync();
        if (publisher.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub exited with {publisher.ExitCode}: {error}");
        }
    }
}

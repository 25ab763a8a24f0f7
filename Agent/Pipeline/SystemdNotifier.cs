using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;

namespace ShelfAgent.Pipeline;

/// <summary>
/// sd_notify(3) without libsystemd: READY=1 once started, WATCHDOG=1 while the agent makes progress,
/// STOPPING=1 on shutdown. Does nothing outside systemd (no NOTIFY_SOCKET).
/// </summary>
public sealed class SystemdNotifier(Func<bool> isHealthy, TimeProvider time) : IHostedService, IDisposable
{
    private readonly string? _socketPath = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
    private ITimer? _watchdog;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Notify($"READY=1\nSTATUS=sampling and publishing\nMAINPID={Environment.ProcessId}");
        // systemd sets WATCHDOG_USEC when the unit has WatchdogSec=; ping at half the period (sd_watchdog_enabled(3)).
        if (long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            var period = TimeSpan.FromMicroseconds(usec / 2.0);
            _watchdog = time.CreateTimer(_ => { if (isHealthy()) { Notify("WATCHDOG=1"); } }, null, period, period);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Notify("STOPPING=1");
        _watchdog?.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _watchdog?.Dispose();

    private void Notify(string state)
    {
        if (string.IsNullOrEmpty(_socketPath))
        {
            return;
        }

        try
        {
            // A leading '@' names an abstract socket, which the kernel spells with a NUL byte.
            var path = _socketPath[0] == '@' ? "\0" + _socketPath[1..] : _socketPath;
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.UTF8.GetBytes(state));
        }
        catch (SocketException)
        {
            // Notification is best effort; systemd's own timeouts cover a lost message.
        }
    }
}

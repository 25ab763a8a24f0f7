using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// What systemd listens on for sd_notify(3): a unix datagram socket whose path goes to the service in
/// NOTIFY_SOCKET. Each datagram is newline-separated assignments ("READY=1\nSTATUS=…"); this keeps every
/// assignment with the time it arrived, and lets a test wait (a bounded poll) for one, or for a silence.
/// </summary>
public sealed class SystemdNotifySocket : IDisposable
{
    // Keep-alives come every half second or so: look often enough to see a gap of a few seconds to the tenth.
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(20);

    private readonly Socket _socket;
    private readonly List<(long At, string Assignment)> _received = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SystemdNotifySocket(string path)
    {
        Path = path;
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _loop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>The value for NOTIFY_SOCKET.</summary>
    public string Path { get; }

    /// <summary>Every assignment received so far, in order.</summary>
    public IReadOnlyList<string> Assignments
    {
        get
        {
            lock (_lock)
            {
                return [.. _received.Select(r => r.Assignment)];
            }
        }
    }

    /// <summary>How many times <paramref name="assignment"/> arrived.</summary>
    public int Count(string assignment)
    {
        lock (_lock)
        {
            return _received.Count(r => r.Assignment == assignment);
        }
    }

    /// <summary>Waits until <paramref name="assignment"/> has arrived at least <paramref name="times"/> times in all; false at the deadline.</summary>
    public Task<bool> WaitForAsync(string assignment, int times, TimeSpan timeout) =>
        Eventually.WithinAsync(() => Count(assignment) >= times, timeout, Every);

    /// <summary>
    /// Waits until <paramref name="assignment"/> has not arrived for <paramref name="silence"/> (what systemd's
    /// watchdog acts on), counting from its last arrival or from now; false if no such gap opens before the deadline.
    /// </summary>
    public Task<bool> WaitForSilenceAsync(string assignment, TimeSpan silence, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        return Eventually.WithinAsync(
            () =>
            {
                lock (_lock)
                {
                    return Stopwatch.GetElapsedTime(Math.Max(_received.LastOrDefault(r => r.Assignment == assignment).At, started)) >= silence;
                }
            },
            timeout,
            Every);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
        File.Delete(Path);
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var at = Stopwatch.GetTimestamp();
            lock (_lock)
            {
                foreach (var line in Encoding.UTF8.GetString(buffer, 0, n).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    _received.Add((at, line));
                }

            }
        }
    }
}

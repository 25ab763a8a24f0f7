using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Time.Testing;
using ShelfAgent.Pipeline;
using ShelfAgent.Tests.Outbox;

namespace ShelfAgent.Tests.Pipeline;

public sealed class WatchdogServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2); // keep-alive every second
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingNotifier _notifier = new();
    private readonly ListLogger<WatchdogService> _log = new();

    [Fact]
    public async Task Keep_alives_go_every_half_timeout_while_sampling_commits_and_stop_when_it_stalls()
    {
        var progress = new PipelineProgress(_time);
        progress.PublisherWaiting();
        var service = Create(progress, Timeout);
        await service.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => _notifier.Keepalives == 1); // at start

        // Committed at 0 s: the check at 1 s finds it within the bound (one second) and feeds the watchdog.
        progress.Committed();
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => _notifier.Keepalives == 2);

        // The check at 2 s finds no commit for two seconds: no keep-alive, and it says so once.
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => _log.Entries.Any(e => e.Id.Id == 4002));
        Assert.Equal(2, _notifier.Keepalives);
        Assert.Contains("SamplingStalled", _log.Entries.Single(e => e.Id.Id == 4002).Message, StringComparison.Ordinal);

        progress.Committed();
        _time.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => _notifier.Keepalives == 3);
        await WaitUntilAsync(() => _log.Entries.Any(e => e.Id.Id == 4003));
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Nothing_is_sent_when_systemd_asked_for_no_watchdog()
    {
        var service = Create(new PipelineProgress(_time), timeout: null);
        await service.StartAsync(CancellationToken.None);

        // ExecuteAsync returns at once when there is no watchdog: the service's task is already complete.
        await service.ExecuteTask!.WaitAsync(Patience);
        Assert.Equal(0, _notifier.Keepalives);
        await service.StopAsync(CancellationToken.None);
    }

    private WatchdogService Create(PipelineProgress progress, TimeSpan? timeout) => new(
        _notifier,
        timeout,
        WatchdogBounds.For(Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100), TimeSpan.Zero),
        progress,
        _time,
        _log);

    private Task WaitUntilAsync(Func<bool> condition) => Eventually.UntilAsync(
        condition,
        Patience,
        "the watchdog got there",
        () => $"{_notifier.Keepalives} keep-alives; log: {string.Join(" | ", _log.Entries.Select(e => e.Message))}",
        TimeSpan.FromMilliseconds(10));

    /// <summary>Stands in for systemd's socket; the real one is in Integration/SystemdWatchdogTests.</summary>
    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private int _keepalives;

        public bool IsEnabled => true;

        public int Keepalives => Volatile.Read(ref _keepalives);

        public void Notify(ServiceState state)
        {
            if (state.ToString() == "WATCHDOG=1")
            {
                Interlocked.Increment(ref _keepalives);
            }
        }
    }
}

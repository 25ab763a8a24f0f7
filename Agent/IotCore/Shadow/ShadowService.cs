using System.Buffers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.Protocol;
using ShelfAgent.Config;
using ShelfAgent.Config.Runtime;

namespace ShelfAgent.IotCore.Shadow;

/// <summary>
/// Keeps the thing's classic shadow (issue 14, "The device shadow"): <c>get</c> on every connect, desired changes from
/// <c>/update/delta</c> given to the <see cref="IConfigApplier"/> (stale versions ignored), the outcome and the device's
/// state reported on change and at most every <c>Shadow:ReportIntervalSeconds</c>, within <see cref="ShadowLimits"/>.
/// One loop does all shadow work in order, so versions and reports never race each other.
/// </summary>
public sealed partial class ShadowService(
    IMqttSession session,
    AwsIotRequester requester,
    ShadowTopics topics,
    IConfigApplier applier,
    Func<IReadOnlyList<ConfigKeyResult>, CancellationToken, ValueTask<ShadowReport>> report,
    ShadowOptions options,
    TimeProvider time,
    ILogger<ShadowService> logger) : BackgroundService
{
    /// <summary>How long a get or update waits for its reply.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<ShadowWork> _work = Channel.CreateUnbounded<ShadowWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ShadowVersionGate _versions = new();
    private readonly ShadowLimits _limits = new();
    private IReadOnlyList<ConfigKeyResult> _refused = [];
    private byte[]? _lastReported;
    private DateTimeOffset _lastReportAt = DateTimeOffset.MinValue;
    private int _desiredBytes;
    private long _token;

    /// <summary>Raised after each desired change was handled (for tests and logs): the version and what was decided, or null for a stale one.</summary>
    public event Action<long, ConfigApplyResult?>? DesiredHandled;

    /// <summary>Raised after a reported update was accepted (for tests).</summary>
    public event Action? Reported;

    /// <summary>The newest shadow version acted on.</summary>
    public long? Version => _versions.Last;

    /// <summary>Call after every (re)connect: the shadow is read again, since deltas may have been missed while offline.</summary>
    public void OnConnected() => _work.Writer.TryWrite(ShadowWork.Get);

    /// <summary>Asks for a report now (within the rate guard), e.g. after a config-update job.</summary>
    public void ReportSoon() => _work.Writer.TryWrite(ShadowWork.Report);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var granted = await SubscribeRetry.SubscribeAsync(
            session,
            topics.Delta,
            MqttQualityOfServiceLevel.AtLeastOnce,
            OnDeltaAsync,
            time,
            (e, pause) => LogDeltaSubscribeFailed(logger, topics.Delta, e.Message, (int)Math.Ceiling(pause.TotalSeconds)),
            stoppingToken).ConfigureAwait(false);
        if (granted.Length == 0 || granted[0] is null)
        {
            LogDeltaRefused(logger, topics.Delta);
        }

        var interval = TimeSpan.FromSeconds(options.ReportIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            ShadowWork work;
            using (var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                tick.CancelAfter(interval);
                try
                {
                    work = await _work.Reader.ReadAsync(tick.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    work = ShadowWork.Periodic;
                }
            }

            try
            {
                await DoAsync(work, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or AwsIotSubscribeRefusedException or Transport.MqttException)
            {
                // Offline or refused: the next connect asks again (get), the next tick reports again.
                LogShadowFailed(logger, work.Kind, e.Message);
            }
        }
    }

    private async Task DoAsync(ShadowWork work, CancellationToken cancellationToken)
    {
        switch (work.Kind)
        {
            case ShadowWorkKind.Get:
                await GetAsync(cancellationToken).ConfigureAwait(false);
                break;
            case ShadowWorkKind.Delta:
                await HandleDesiredAsync(work.Desired!, cancellationToken).ConfigureAwait(false);
                break;
            case ShadowWorkKind.Report:
                await ReportAsync(force: true, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await ReportAsync(force: false, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private ValueTask OnDeltaAsync(MQTTnet.MqttApplicationMessage message)
    {
        if (ShadowDocuments.ParseDelta(message.Payload.ToArray()) is { } desired)
        {
            _work.Writer.TryWrite(ShadowWork.ForDelta(desired));
        }
        else
        {
            LogUnreadable(logger, topics.Delta);
        }

        return ValueTask.CompletedTask;
    }

    private async Task GetAsync(CancellationToken cancellationToken)
    {
        var token = NextToken();
        var reply = await RequestAsync(topics.Get, Encoding.UTF8.GetBytes($"{{\"clientToken\":\"{token}\"}}"), token, cancellationToken).ConfigureAwait(false);
        if (reply.Accepted && ShadowDocuments.ParseGetAccepted(reply.Payload.Span) is { } desired)
        {
            _desiredBytes = desired.DesiredBytes;
            await HandleDesiredAsync(desired, cancellationToken).ConfigureAwait(false);
        }
        else if (!reply.Accepted && reply.Error?.StatusCode != 404)
        {
            // 404: no shadow yet; the first report creates it.
            LogRejected(logger, topics.Get, reply.Error?.StatusCode, reply.Error?.ErrorMessage ?? "");
        }

        await ReportAsync(force: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task HandleDesiredAsync(ShadowDesired desired, CancellationToken cancellationToken)
    {
        if (!_versions.TryAdvance(desired.Version))
        {
            LogStale(logger, desired.Version, _versions.Last ?? 0);
            DesiredHandled?.Invoke(desired.Version, null);
            return;
        }

        if (desired.Delta is not { Count: > 0 } delta)
        {
            return;
        }

        var result = await applier.ApplyAsync(delta, ConfigChangeSource.Shadow, cancellationToken).ConfigureAwait(false);
        _refused = result.Refused.ToList();
        await ReportAsync(force: true, cancellationToken).ConfigureAwait(false);
        DesiredHandled?.Invoke(desired.Version, result);
    }

    private async Task ReportAsync(bool force, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var state = await report(_refused, cancellationToken).ConfigureAwait(false);
        var reported = ShadowReportEncoder.EncodeReported(state);
        if (!ShadowLimits.Fits(reported.Length, _desiredBytes))
        {
            // Per-slot detail is what grows; the settings and the device's health must get through.
            LogTooLarge(logger, reported.Length, _desiredBytes, ShadowLimits.MaxStateBytes);
            state = state with { Slots = [] };
            reported = ShadowReportEncoder.EncodeReported(state);
        }

        var changed = _lastReported is null || !reported.AsSpan().SequenceEqual(_lastReported);
        if (!changed || (!force && now - _lastReportAt < TimeSpan.FromSeconds(options.ReportIntervalSeconds)))
        {
            return;
        }

        var token = NextToken();
        var reply = await RequestAsync(topics.Update, ShadowReportEncoder.Encode(state, token), token, cancellationToken).ConfigureAwait(false);
        if (reply.Accepted)
        {
            _lastReported = reported;
            _lastReportAt = now;
            Reported?.Invoke();
        }
        else
        {
            LogRejected(logger, topics.Update, reply.Error?.StatusCode, reply.Error?.ErrorMessage ?? "");
        }
    }

    private async Task<AwsIotReply> RequestAsync(string topic, byte[] payload, string token, CancellationToken cancellationToken)
    {
        var wait = _limits.Wait(time.GetElapsedTime(0));
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }

        _limits.Sent(time.GetElapsedTime(0));
        return await requester.RequestAsync(topic, payload, token, ReplyTimeout, cancellationToken).ConfigureAwait(false);
    }

    // ≤ 64 bytes (AWS rejects longer tokens with 400).
    private string NextToken() => $"shadow-{Interlocked.Increment(ref _token)}";

    [LoggerMessage(
        EventId = 5101,
        Level = LogLevel.Warning,
        Message = "The broker refused the subscription to {Topic}: desired changes arrive only at the next connect's get (check the device policy)")]
    private static partial void LogDeltaRefused(ILogger logger, string topic);

    [LoggerMessage(
        EventId = 5107, Level = LogLevel.Warning, Message = "Subscribing to the shadow delta {Topic} failed ({Reason}); trying again in {RetrySeconds} s")]
    private static partial void LogDeltaSubscribeFailed(ILogger logger, string topic, string reason, int retrySeconds);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Shadow {Work} failed: {Reason}")]
    private static partial void LogShadowFailed(ILogger logger, ShadowWorkKind work, string reason);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Unreadable shadow message on {Topic}; ignored")]
    private static partial void LogUnreadable(ILogger logger, string topic);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Shadow request on {Topic} rejected: {StatusCode} {Message}")]
    private static partial void LogRejected(ILogger logger, string topic, int? statusCode, string message);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "Stale shadow delta (version {Version}, already at {Last}) ignored")]
    private static partial void LogStale(ILogger logger, long version, long last);

    [LoggerMessage(
        EventId = 5106,
        Level = LogLevel.Warning,
        Message = "Reported state of {ReportedBytes} bytes beside {DesiredBytes} bytes of desired state exceeds the shadow's {Limit}; " +
            "per-slot detail left out")]
    private static partial void LogTooLarge(ILogger logger, int reportedBytes, int desiredBytes, int limit);
}

using System.Threading.Channels;
using MQTTnet.Protocol;
using ShelfAgent.Transport;

namespace ShelfAgent.Tests.Fakes;

/// <summary>
/// An in-memory <see cref="IMessagePublisher"/> whose test decides each publish's outcome: every publish waits until
/// the test acknowledges it (a PUBACK) or fails it (a dropped connection, a refusal). Counts what is outstanding, and
/// has room for another publish while fewer than <see cref="Window"/> are, as the transport's in-flight window.
/// </summary>
internal sealed class ScriptedPublisher : IMessagePublisher
{
    private readonly Channel<Publish> _published = Channel.CreateUnbounded<Publish>();
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _roomSync = new();
    private TaskCompletionSource? _room;
    private int _outstanding;
    private int _mostOutstanding;
    private int _publishes;

    /// <summary>The in-flight window: publishes outstanding at once before <see cref="WaitForSendRoomAsync"/> waits.</summary>
    public int Window { get; set; } = int.MaxValue;

    /// <summary>The most publishes that waited for their outcome at once.</summary>
    public int MostOutstanding => Volatile.Read(ref _mostOutstanding);

    /// <summary>
    /// When set, every publish fails with it at once, without waiting for the test: MQTTnet's "not connected" while the
    /// transport has not yet seen the connection end.
    /// </summary>
    public Exception? FailAtOnce { get; set; }

    /// <summary>Publishes made so far.</summary>
    public int Publishes => Volatile.Read(ref _publishes);

    /// <summary>Lets <see cref="WaitConnectedAsync"/> return, as a connection coming up.</summary>
    public void Connect() => _connected.TrySetResult();

    public Task WaitConnectedAsync(CancellationToken cancellationToken) => _connected.Task.WaitAsync(cancellationToken);

    public async Task WaitForSendRoomAsync(int atMost, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_roomSync)
            {
                if (Volatile.Read(ref _outstanding) < Window)
                {
                    return;
                }

                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _room.Task;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfServiceLevel qos, bool retain, CancellationToken cancellationToken)
    {
        var publish = new Publish(topic, payload.ToArray(), qos, retain);
        Interlocked.Increment(ref _publishes);
        if (FailAtOnce is { } failure)
        {
            throw failure;
        }

        var now = Interlocked.Increment(ref _outstanding);
        int seen;
        while (now > (seen = Volatile.Read(ref _mostOutstanding)) && Interlocked.CompareExchange(ref _mostOutstanding, now, seen) != seen)
        {
        }

        try
        {
            await _published.Writer.WriteAsync(publish, cancellationToken);
            await publish.Outcome.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _outstanding);
            TaskCompletionSource? room;
            lock (_roomSync)
            {
                room = _room;
                _room = null;
            }

            room?.TrySetResult();
        }
    }

    /// <summary>The next publish the loop made, waiting at most <paramref name="within"/>.</summary>
    public async Task<Publish> NextAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        return await _published.Reader.ReadAsync(cts.Token);
    }

    /// <summary>True when no publish is waiting to be taken by <see cref="NextAsync"/>.</summary>
    public bool NoneWaiting => !_published.Reader.TryPeek(out _);

    /// <summary>One publish and its outcome, set by the test.</summary>
    internal sealed record Publish(string Topic, byte[] Payload, MqttQualityOfServiceLevel Qos, bool Retain)
    {
        public TaskCompletionSource Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Ack() => Outcome.TrySetResult();

        public void Fail(Exception e) => Outcome.TrySetException(e);
    }
}

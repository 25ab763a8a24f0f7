using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using ShelfAgent.IotCore;

namespace ShelfAgent.Tests.Fakes;

/// <summary>
/// An in-memory MQTT session for fleet API tests: records subscriptions and publishes, lets the test (or a responder
/// it installs) deliver messages to the subscribed handlers, and can refuse chosen filters like a SUBACK ≥ 0x80.
/// </summary>
public sealed class FakeMqttSession : IMqttSession
{
    private readonly ConcurrentDictionary<string, Func<MqttApplicationMessage, ValueTask>> _handlers = new(StringComparer.Ordinal);

    /// <summary>Every publish in order: topic, payload text, QoS, retain.</summary>
    public ConcurrentQueue<(string Topic, string Payload, MqttQualityOfServiceLevel Qos, bool Retain)> Published { get; } = new();

    /// <summary>Every SUBSCRIBE filter in order (repeats included).</summary>
    public ConcurrentQueue<string> SubscribeCalls { get; } = new();

    /// <summary>Filters the fake broker refuses.</summary>
    public HashSet<string> Refuse { get; } = new(StringComparer.Ordinal);

    /// <summary>How many SUBSCRIBEs (from now) get no SUBACK in time: MQTTnet's communication timeout, as from a loaded broker.</summary>
    public int TimeOutSubscribes { get; set; }

    /// <summary>Called after each publish is recorded; a test answers requests here (synchronously or later).</summary>
    public Func<string, string, ValueTask>? OnPublish { get; set; }

    public IReadOnlyCollection<string> Subscriptions => [.. _handlers.Keys];

    public Task<MqttQualityOfServiceLevel?[]> SubscribeAsync(
        string filter, MqttQualityOfServiceLevel qos, Func<MqttApplicationMessage, ValueTask> handler, CancellationToken cancellationToken)
    {
        SubscribeCalls.Enqueue(filter);
        if (TimeOutSubscribes > 0)
        {
            TimeOutSubscribes--;
            return Task.FromException<MqttQualityOfServiceLevel?[]>(new MQTTnet.Exceptions.MqttCommunicationTimedOutException());
        }

        if (Refuse.Contains(filter))
        {
            return Task.FromResult(new MqttQualityOfServiceLevel?[] { null });
        }

        _handlers[filter] = handler;
        return Task.FromResult(new MqttQualityOfServiceLevel?[] { qos });
    }

    public Task UnsubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        _handlers.TryRemove(filter, out _);
        return Task.CompletedTask;
    }

    public async Task PublishRequestAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(payload.Span);
        Published.Enqueue((topic, text, MqttQualityOfServiceLevel.AtLeastOnce, false));
        if (OnPublish is { } respond)
        {
            await respond(topic, text);
        }
    }

    /// <summary>Delivers a message to the handler subscribed to exactly <paramref name="topic"/>; false when none is.</summary>
    public async Task<bool> DeliverAsync(string topic, string payload)
    {
        if (!_handlers.TryGetValue(topic, out var handler))
        {
            return false;
        }

        await handler(new MqttApplicationMessage { Topic = topic, Payload = new System.Buffers.ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)) });
        return true;
    }
}

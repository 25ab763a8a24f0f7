using System.Buffers;
using System.Text;
using MQTTnet;
using ShelfAgent.LocalIot.Control;
using ShelfAgent.LocalIot.Jobs;
using ShelfAgent.LocalIot.Provisioning;
using ShelfAgent.LocalIot.Rules;
using ShelfAgent.LocalIot.Shadow;

namespace ShelfAgent.LocalIot;

/// <summary>
/// The service side of the core: one privileged MQTT connection subscribed to the request topics of the documented
/// APIs and the control topics; it takes requests one at a time (so the APIs see them in broker order), lets
/// <paramref name="beforeReply"/> bring the broker's ACL and the state folder up to date, then publishes the answers.
/// Messages sent through Basic Ingest to <paramref name="basicIngestRule"/> it republishes on their plain topic, the stand-in
/// for that rule (<see cref="BasicIngest"/>).
/// </summary>
internal sealed class IotServiceLoop(
    MqttTestClient client,
    FleetProvisioningApi provisioning,
    ShadowApi shadows,
    JobsApi jobs,
    ControlApi control,
    Func<CancellationToken, Task> beforeReply,
    Action<Exception> fault,
    Action<string>? report,
    string? basicIngestRule)
{
    private const int ShownPayload = 160;

    private static readonly string[] Filters =
    [
        FleetProvisioningApi.CreateFromCsrTopic,
        "$aws/provisioning-templates/+/provision/json",
        "$aws/things/+/shadow/get",
        "$aws/things/+/shadow/update",
        "$aws/things/+/shadow/delete",
        "$aws/things/+/jobs/get",
        "$aws/things/+/jobs/start-next",
        "$aws/things/+/jobs/+/get",
        "$aws/things/+/jobs/+/update",
        ControlTopics.Requests,
    ];

    public async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        foreach (var filter in Filters)
        {
            await client.SubscribeAsync(filter, cancellationToken).ConfigureAwait(false);
        }

        if (!string.IsNullOrEmpty(basicIngestRule))
        {
            await client.SubscribeAsync(BasicIngest.Filter(basicIngestRule), cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in client.Received.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (BasicIngest.TryParse(message.Topic, out _, out var ruleTopic))
                {
                    // The rule's stand-in: what the rule would read, on the topic it would read it from. Not reported
                    // per message (telemetry every few seconds per device would drown the requests).
                    await client.PublishAsync(ruleTopic, message.Payload.ToArray(), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var replies = Answer(message);
                await beforeReply(cancellationToken).ConfigureAwait(false);
                await PublishAsync(replies, cancellationToken).ConfigureAwait(false);
                report?.Invoke($"{message.Topic} {Shown(message)} → {string.Join(", ", replies.Select(r => r.Topic))}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                fault(e);
            }
        }
    }

    public async Task PublishAsync(IReadOnlyList<IotReply> replies, CancellationToken cancellationToken)
    {
        foreach (var reply in replies)
        {
            await client.PublishAsync(reply.Topic, reply.Payload.ToJsonString(), cancellationToken).ConfigureAwait(false);
        }
    }

    private IReadOnlyList<IotReply> Answer(MqttApplicationMessage message)
    {
        var topic = message.Topic;
        var payload = message.Payload.IsSingleSegment ? message.Payload.FirstSpan : message.Payload.ToArray();
        if (FleetProvisioningApi.Handles(topic))
        {
            return provisioning.Handle(topic, payload);
        }

        if (ShadowApi.Parse(topic) is not null)
        {
            return shadows.Handle(topic, payload);
        }

        if (ControlTopics.Parse(topic) is not null)
        {
            return control.Handle(topic, payload);
        }

        return JobsApi.Parse(topic) is not null ? jobs.Handle(topic, payload) : [];
    }

    /// <summary>The request's payload for a person's log, cut short (a CSR would fill the screen; requests never hold a key).</summary>
    private static string Shown(MqttApplicationMessage message)
    {
        var text = Encoding.UTF8.GetString(message.Payload);
        return text.Length <= ShownPayload ? text : text[..ShownPayload] + "…";
    }
}

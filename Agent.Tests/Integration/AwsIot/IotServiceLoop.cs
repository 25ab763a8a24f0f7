using System.Buffers;
using MQTTnet;

namespace ShelfAgent.Tests.Integration.AwsIot;

/// <summary>
/// The service side of the fixture: one privileged MQTT connection subscribed to the request topics of the documented
/// APIs; it takes requests one at a time (so the APIs see them in broker order), lets <paramref name="beforeReply"/>
/// bring the broker's ACL up to date, then publishes the answers.
/// </summary>
internal sealed class IotServiceLoop(
    MqttTestClient client,
    FleetProvisioningApi provisioning,
    ShadowApi shadows,
    JobsApi jobs,
    Func<CancellationToken, Task> beforeReply,
    Action<Exception> fault)
{
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
    ];

    public async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        foreach (var filter in Filters)
        {
            await client.SubscribeAsync(filter, cancellationToken);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var message in client.Received.ReadAllAsync(cancellationToken))
        {
            try
            {
                var replies = Answer(message);
                await beforeReply(cancellationToken);
                await PublishAsync(replies, cancellationToken);
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
            await client.PublishAsync(reply.Topic, reply.Payload.ToJsonString(), cancellationToken);
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

        return JobsApi.Parse(topic) is not null ? jobs.Handle(topic, payload) : [];
    }
}

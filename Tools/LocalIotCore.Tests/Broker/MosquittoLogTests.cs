using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.LocalIot.Tests.Broker;

/// <summary>Parsing mosquitto 2.0.11's debug lines (copied from a real run) into operations.</summary>
public sealed class MosquittoLogTests
{
    [Fact]
    public void Connect_will_subscribe_publish_and_delivery_lines_become_operations()
    {
        string[] log =
        [
            "1796185793: New client connected from 127.0.0.1:40970 as subx (p5, c1, k60).",
            "1796185793: No will message specified.",
            "1796185793: Received SUBSCRIBE from subx",
            "1796185793: \ta/# (QoS 1)",
            "1796185793: subx 1 a/#",
            "1796185793: \tb/c (QoS 1)",
            "1796185793: subx 1 b/c",
            "1796185793: Sending SUBACK to subx",
            "1796185794: New client connected from 127.0.0.1:40974 as pubx (p5, c1, k60, u'thing-1').",
            "1796185794: Will message specified (4 bytes) (r1, q1).",
            "1796185794: \ta/will",
            "1796185794: Sending CONNACK to pubx (0, 0)",
            "1796185794: Received PUBLISH from pubx (d0, q1, r1, m1, 'a/b', ... (2 bytes))",
            "1796185794: Denied PUBLISH from pubx (d0, q1, r0, m2, 'x/y', ... (2 bytes))",
            "1796185794: Sending PUBLISH to subx (d0, q1, r0, m1, 'a/b', ... (2 bytes))",
        ];

        Assert.Equal(
            [
                new MqttOperation(MqttOperationKind.Connect, "subx", null, ""),
                new MqttOperation(MqttOperationKind.Subscribe, "subx", null, "a/#"),
                new MqttOperation(MqttOperationKind.Subscribe, "subx", null, "b/c"),
                new MqttOperation(MqttOperationKind.Connect, "pubx", "thing-1", ""),
                new MqttOperation(MqttOperationKind.Will, "pubx", "thing-1", "a/will", Retain: true),
                new MqttOperation(MqttOperationKind.Publish, "pubx", "thing-1", "a/b", Retain: true),
                new MqttOperation(MqttOperationKind.Publish, "pubx", "thing-1", "x/y", Denied: true),
                new MqttOperation(MqttOperationKind.Receive, "subx", null, "a/b"),
            ],
            MosquittoLog.Parse(log));
    }
}

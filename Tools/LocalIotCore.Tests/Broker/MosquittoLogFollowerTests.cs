using ShelfAgent.LocalIot.Broker;

namespace ShelfAgent.LocalIot.Tests.Broker;

/// <summary>Following the log as mosquitto appends to it: only complete lines, and a will only with its topic.</summary>
public sealed class MosquittoLogFollowerTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("log-").FullName, "mosquitto.log");

    [Fact]
    public void Reads_what_was_appended_since_the_last_call_up_to_the_last_complete_line()
    {
        var follower = new MosquittoLogFollower(_path);
        Assert.Empty(follower.Read());

        File.AppendAllText(_path,
            "1: New client connected from 127.0.0.1:1 as a (p5, c1, k60, u'a').\n" +
            "1: Received PUBLISH from a (d0, q1, r0, m1, 'x/y', ... (2 by");
        Assert.Equal([new MqttOperation(MqttOperationKind.Connect, "a", "a", "")], follower.Read());

        File.AppendAllText(_path, "tes))\n");
        Assert.Equal(new MqttOperation(MqttOperationKind.Publish, "a", "a", "x/y"), follower.Read()[^1]);
    }

    [Fact]
    public void Will_is_held_back_until_its_topic_line_arrives()
    {
        var follower = new MosquittoLogFollower(_path);
        File.AppendAllText(_path, "1: New client connected from 127.0.0.1:1 as a (p5, c1, k60, u'a').\n1: Will message specified (4 bytes) (r1, q1).\n");
        Assert.DoesNotContain(follower.Read(), o => o.Kind == MqttOperationKind.Will);

        File.AppendAllText(_path, "1: \ta/status\n");
        Assert.Contains(new MqttOperation(MqttOperationKind.Will, "a", "a", "a/status", Retain: true), follower.Read());
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
}

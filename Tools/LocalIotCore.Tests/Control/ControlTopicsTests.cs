using ShelfAgent.LocalIot.Control;

namespace ShelfAgent.LocalIot.Tests.Control;

public sealed class ControlTopicsTests
{
    [Fact]
    public void Every_operation_has_a_topic_that_parses_back_to_it()
    {
        foreach (var operation in Enum.GetValues<ControlOperation>())
        {
            Assert.Equal(operation, ControlTopics.Parse(ControlTopics.Request(operation)));
        }
    }

    [Theory]
    [InlineData("$local-iot-core/control/create-job/accepted")]
    [InlineData("$local-iot-core/control/no-such-thing")]
    [InlineData("$aws/things/t1/jobs/get")]
    public void Replies_unknown_operations_and_other_topics_are_no_request(string topic) => Assert.Null(ControlTopics.Parse(topic));
}

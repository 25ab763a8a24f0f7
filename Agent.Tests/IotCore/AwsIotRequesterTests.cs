using System.Text;
using MQTTnet.Protocol;
using ShelfAgent.IotCore;
using ShelfAgent.Tests.Fakes;

namespace ShelfAgent.Tests.IotCore;

public sealed class AwsIotRequesterTests
{
    private const string CreateFromCsr = "$aws/certificates/create-from-csr/json";
    private const string ShadowGet = "$aws/things/shelf-1/shadow/get";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Request_subscribes_to_accepted_and_rejected_before_publishing()
    {
        var session = new FakeMqttSession();
        var subscribedAtPublish = new List<string>();
        session.OnPublish = async (topic, _) =>
        {
            subscribedAtPublish.AddRange(session.Subscriptions);
            await session.DeliverAsync(topic + "/accepted", """{"certificateId":"abc"}""");
        };
        var requester = new AwsIotRequester(session, TimeProvider.System);

        var reply = await requester.RequestAsync(CreateFromCsr, Encoding.UTF8.GetBytes("{}"), null, Long, CancellationToken.None);

        Assert.True(reply.Accepted);
        Assert.Null(reply.Error);
        Assert.Equal("""{"certificateId":"abc"}""", Encoding.UTF8.GetString(reply.Payload.Span));
        Assert.Equal([CreateFromCsr + "/accepted", CreateFromCsr + "/rejected"], subscribedAtPublish.Order(StringComparer.Ordinal));
        var published = Assert.Single(session.Published);
        Assert.Equal((CreateFromCsr, "{}", MqttQualityOfServiceLevel.AtLeastOnce, false), published);
    }

    [Fact]
    public async Task Second_request_on_a_topic_does_not_subscribe_again()
    {
        var session = new FakeMqttSession();
        session.OnPublish = async (topic, _) => await session.DeliverAsync(topic + "/accepted", "{}");
        var requester = new AwsIotRequester(session, TimeProvider.System);

        await requester.RequestAsync(CreateFromCsr, "{}"u8.ToArray(), null, Long, CancellationToken.None);
        await requester.RequestAsync(CreateFromCsr, "{}"u8.ToArray(), null, Long, CancellationToken.None);

        Assert.Equal(2, session.SubscribeCalls.Count);
        Assert.Equal(2, session.Published.Count);
    }

    [Fact]
    public async Task Rejected_reply_carries_the_parsed_error()
    {
        var session = new FakeMqttSession();
        session.OnPublish = async (topic, _) =>
            await session.DeliverAsync(topic + "/rejected", """{"statusCode":400,"errorCode":"InvalidCSR","errorMessage":"bad"}""");
        var requester = new AwsIotRequester(session, TimeProvider.System);

        var reply = await requester.RequestAsync(CreateFromCsr, "{}"u8.ToArray(), null, Long, CancellationToken.None);

        Assert.False(reply.Accepted);
        Assert.Equal(new AwsIotError(400, "InvalidCSR", "bad"), reply.Error);
    }

    [Fact]
    public async Task Replies_go_to_the_request_with_the_same_client_token()
    {
        var session = new FakeMqttSession();
        var requester = new AwsIotRequester(session, TimeProvider.System);
        var first = requester.RequestAsync(ShadowGet, """{"clientToken":"a"}"""u8.ToArray(), "a", Long, CancellationToken.None);
        var second = requester.RequestAsync(ShadowGet, """{"clientToken":"b"}"""u8.ToArray(), "b", Long, CancellationToken.None);
        await WaitPublishedAsync(session, 2);

        // Another client's reply, then b's, then a's.
        Assert.True(await session.DeliverAsync(ShadowGet + "/accepted", """{"clientToken":"someone-else","version":1}"""));
        await session.DeliverAsync(ShadowGet + "/rejected", """{"clientToken":"b","code":404,"message":"No shadow exists with name: 'shelf-1'"}""");
        await session.DeliverAsync(ShadowGet + "/accepted", """{"clientToken":"a","version":7}""");

        var a = await first;
        var b = await second;
        Assert.True(a.Accepted);
        Assert.Contains("\"version\":7", Encoding.UTF8.GetString(a.Payload.Span), StringComparison.Ordinal);
        Assert.False(b.Accepted);
        Assert.Equal(404, b.Error!.StatusCode);
    }

    [Fact]
    public async Task Reply_without_a_token_goes_to_the_oldest_waiting_request()
    {
        var session = new FakeMqttSession();
        var requester = new AwsIotRequester(session, TimeProvider.System);
        var first = requester.RequestAsync(ShadowGet, """{"clientToken":"a"}"""u8.ToArray(), "a", Long, CancellationToken.None);
        await WaitPublishedAsync(session, 1);

        // A rejection of a request AWS could not read carries no token.
        await session.DeliverAsync(ShadowGet + "/rejected", """{"code":400,"message":"Invalid JSON"}""");

        Assert.Equal(400, (await first).Error!.StatusCode);
    }

    [Fact]
    public async Task No_reply_within_the_timeout_throws_TimeoutException()
    {
        var session = new FakeMqttSession();
        // FakeClock fires every timer at once: the wait is over as soon as it starts, without a real delay.
        var requester = new AwsIotRequester(session, new FakeClock());

        var e = await Assert.ThrowsAsync<TimeoutException>(
            () => requester.RequestAsync(CreateFromCsr, "{}"u8.ToArray(), null, TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Contains(CreateFromCsr + "/accepted", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_reply_subscription_throws_without_publishing()
    {
        var session = new FakeMqttSession();
        session.Refuse.Add(CreateFromCsr + "/rejected");
        var requester = new AwsIotRequester(session, TimeProvider.System);

        var e = await Assert.ThrowsAsync<AwsIotSubscribeRefusedException>(
            () => requester.RequestAsync(CreateFromCsr, "{}"u8.ToArray(), null, Long, CancellationToken.None));

        Assert.Equal(CreateFromCsr + "/rejected", e.Filter);
        Assert.Empty(session.Published);
    }

    [Fact]
    public async Task Cancelled_request_stops_waiting()
    {
        var session = new FakeMqttSession();
        var requester = new AwsIotRequester(session, TimeProvider.System);
        using var cts = new CancellationTokenSource();
        var request = requester.RequestAsync(CreateFromCsr, "{}"u8.ToArray(), null, Long, cts.Token);
        await WaitPublishedAsync(session, 1);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
    }

    private static async Task WaitPublishedAsync(FakeMqttSession session, int count)
    {
        // Bounded by the test's own progress: the requests publish without awaiting anything external.
        while (session.Published.Count < count)
        {
            await Task.Yield();
        }
    }
}

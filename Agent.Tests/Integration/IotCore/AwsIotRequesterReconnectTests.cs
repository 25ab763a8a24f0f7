using System.Text;
using System.Threading.Channels;
using ShelfAgent.IotCore;
using ShelfAgent.Tests.Integration.Transport;
using Xunit.Abstractions;

namespace ShelfAgent.Tests.Integration.IotCore;

/// <summary>
/// A request over an AWS IoT request/reply API made across a reconnect that lost the session: the transport makes the
/// reply subscriptions again, and the request must not go out before the broker has acknowledged them. The scripted
/// broker plays AWS IoT Core, where a subscription takes effect once its SUBACK is sent ("subscribe first", Developer
/// Guide, "Device Shadow MQTT topics"): a reply published before that reaches nobody.
/// </summary>
public sealed class AwsIotRequesterReconnectTests(ITestOutputHelper output)
{
    private const string ShadowGet = "$aws/things/shelf-1/shadow/get";

    /// <summary>How long the broker holds the SUBACKs of restored subscriptions when nothing else arrives.</summary>
    private static readonly TimeSpan QuietBeforeSubAck = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_request_made_across_a_reconnect_waits_for_its_reply_subscriptions_and_gets_its_reply()
    {
        await using var broker = new FakeBroker();
        await using var transport = TestTransports.Create(broker.ClientOptions("shelf-1"), output);
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        transport.Disconnected += _ =>
        {
            dropped.TrySetResult();
            return Task.CompletedTask;
        };
        await transport.StartAsync(TestTransports.Patience());
        var requester = new AwsIotRequester(new MqttTransportSession(transport), TimeProvider.System);

        // First connection: the requester subscribes to get/accepted and get/rejected, then asks.
        var first = await broker.AcceptAsync();
        await first.AcceptConnectAsync();
        var before = requester.RequestAsync(ShadowGet, Request("a"), "a", TimeSpan.FromSeconds(30), TestTransports.Patience());
        await using (var played = new AwsIotPlayer(first))
        {
            await played.AnswerUntilAsync(before, TimeSpan.Zero);
        }

        Assert.True((await before).Accepted);

        // The player closed the connection and the broker forgot the session (as when a clean-start connection with our
        // client id takes it over); a request made meanwhile waits for the next connection.
        await dropped.Task.WaitAsync(TestTransports.Patience());
        var across = requester.RequestAsync(ShadowGet, Request("b"), "b", TimeSpan.FromSeconds(30), TestTransports.Patience());
        var second = await broker.AcceptAsync();
        await second.AcceptConnectAsync(sessionPresent: false);
        await using var player = new AwsIotPlayer(second);
        await player.AnswerUntilAsync(across, QuietBeforeSubAck);

        Assert.Equal(0, player.Unanswerable);
        var reply = await across;
        Assert.True(reply.Accepted);
        Assert.Equal("b", AwsIotReplyReader.ClientToken(reply.Payload.Span));
    }

    private static byte[] Request(string token) => Encoding.UTF8.GetBytes($$"""{"clientToken":"{{token}}"}""");

    /// <summary>
    /// Plays AWS IoT Core on one connection: SUBSCRIBEs take effect at their SUBACK, which is sent once the client has
    /// been quiet for the given time (at once for zero); a request is acknowledged and answered on its <c>/accepted</c>
    /// topic only if that subscription is in effect, else the answer reaches nobody, as it would on AWS.
    /// </summary>
    private sealed class AwsIotPlayer : IAsyncDisposable
    {
        private readonly FakeBrokerConnection _connection;
        private readonly Channel<RawPacket> _packets = Channel.CreateUnbounded<RawPacket>();
        private readonly Task _pump;
        private readonly HashSet<string> _active = new(StringComparer.Ordinal);
        private readonly List<RawPacket> _unacknowledged = [];
        private int _nextId = 100;

        public AwsIotPlayer(FakeBrokerConnection connection)
        {
            _connection = connection;
            _pump = PumpAsync();
        }

        /// <summary>Requests that arrived before their reply subscription was in effect: their answer reached nobody.</summary>
        public int Unanswerable { get; private set; }

        public async Task AnswerUntilAsync(Task request, TimeSpan quiet)
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var next = _packets.Reader.ReadAsync(patience.Token).AsTask();
            while (!request.IsCompleted)
            {
                var waitQuiet = _unacknowledged.Count > 0 ? Task.Delay(quiet, patience.Token) : Task.Delay(Timeout.InfiniteTimeSpan, patience.Token);
                var first = await Task.WhenAny(next, waitQuiet, request);
                if (first == waitQuiet)
                {
                    await AcknowledgeSubscriptionsAsync();
                }
                else if (first == next)
                {
                    await HandleAsync(await next);
                    next = _packets.Reader.ReadAsync(patience.Token).AsTask();
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _connection.DisposeAsync();
            await _pump;
        }

        private async Task HandleAsync(RawPacket packet)
        {
            switch (packet.Type)
            {
                case RawPacket.Subscribe:
                    _unacknowledged.Add(packet);
                    break;
                case RawPacket.Publish when packet.Topic == ShadowGet:
                    await _connection.PubAckAsync(packet.PacketId);
                    if (_active.Contains(ShadowGet + "/accepted"))
                    {
                        await _connection.PublishAsync(ShadowGet + "/accepted", packet.Payload(_connection.Mqtt5), _nextId++);
                    }
                    else
                    {
                        Unanswerable++;
                    }

                    break;
                case RawPacket.PingReq:
                    await _connection.PingRespAsync();
                    break;
            }
        }

        private async Task AcknowledgeSubscriptionsAsync()
        {
            foreach (var subscribe in _unacknowledged)
            {
                foreach (var filter in Filters(subscribe))
                {
                    _active.Add(filter);
                }

                await _connection.SendAsync(SubAck(subscribe));
            }

            _unacknowledged.Clear();
        }

        private byte[] SubAck(RawPacket subscribe)
        {
            var codes = Filters(subscribe).Select(_ => (byte)1).ToArray();
            byte[] id = [(byte)(subscribe.PacketId >> 8), (byte)subscribe.PacketId];
            return _connection.Mqtt5 ? RawPacket.Encode(0x90, id, [0], codes) : RawPacket.Encode(0x90, id, codes);
        }

        // SUBSCRIBE payload (MQTT 5 §3.8.3, 3.1.1 §3.8.3): after the packet id (and MQTT 5 properties), a list of
        // length-prefixed filters each followed by one options byte.
        private List<string> Filters(RawPacket subscribe)
        {
            var at = 2;
            if (_connection.Mqtt5)
            {
                var (length, used) = RawPacket.VarInt(subscribe.Body, at);
                at += used + length;
            }

            var filters = new List<string>();
            while (at < subscribe.Body.Length)
            {
                var length = (subscribe.Body[at] << 8) | subscribe.Body[at + 1];
                filters.Add(Encoding.UTF8.GetString(subscribe.Body, at + 2, length));
                at += 2 + length + 1;
            }

            return filters;
        }

        private async Task PumpAsync()
        {
            try
            {
                while (await _connection.ReadAsync(timeoutSeconds: 600) is { } packet)
                {
                    await _packets.Writer.WriteAsync(packet);
                }
            }
            catch (ObjectDisposedException)
            {
                // Closed by the test.
            }

            _packets.Writer.TryComplete();
        }
    }
}

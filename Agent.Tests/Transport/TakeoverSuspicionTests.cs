using ShelfAgent.Transport;

namespace ShelfAgent.Tests.Transport;

public sealed class TakeoverSuspicionTests
{
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(30);
    private static readonly ConnectionEnd Closed =
        new(new MqttTransportException(MqttTransportFailure.ClosedByBroker, "closed", null), ConnectionEndKind.ClosedByBroker);

    [Fact]
    public void Warns_at_the_third_short_close_in_a_row_then_every_tenth()
    {
        var suspicion = new TakeoverSuspicion(Stable);

        var warnings = Enumerable.Range(1, 25).Select(_ => suspicion.Record(Closed, TimeSpan.FromMilliseconds(253))).ToList();

        Assert.Equal([3, 13, 23], warnings.Where(w => w > 0));
        Assert.Equal(3, warnings.IndexOf(3) + 1);
    }

    [Fact]
    public void A_connection_that_stayed_up_or_ended_otherwise_breaks_the_streak()
    {
        var suspicion = new TakeoverSuspicion(Stable);
        suspicion.Record(Closed, TimeSpan.FromSeconds(1));
        suspicion.Record(Closed, TimeSpan.FromSeconds(1));

        Assert.Equal(0, suspicion.Record(Closed, Stable));                                                // stayed up
        Assert.Equal(0, suspicion.Record(Closed, TimeSpan.FromSeconds(1)));
        Assert.Equal(0, suspicion.Record(Closed, TimeSpan.FromSeconds(1)));
        Assert.Equal(0, suspicion.Record(new ConnectionEnd(null, ConnectionEndKind.Lost), TimeSpan.FromSeconds(1)));
        Assert.Equal(0, suspicion.Record(Closed, TimeSpan.FromSeconds(1)));
        Assert.Equal(0, suspicion.Record(Closed, TimeSpan.FromSeconds(1)));
        Assert.Equal(3, suspicion.Record(Closed, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void A_close_explained_by_a_publish_refusal_is_not_a_takeover()
    {
        var suspicion = new TakeoverSuspicion(Stable);
        var afterRefusal = Closed with { Refusal = new RefusalAtClose("dt/shelf/s/t/telemetry", 0x87, Unanswered: true) };

        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(0, suspicion.Record(afterRefusal, TimeSpan.FromMilliseconds(7))));
    }
}

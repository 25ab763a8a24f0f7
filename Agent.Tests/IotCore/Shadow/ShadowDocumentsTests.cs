using System.Text;
using ShelfAgent.IotCore.Shadow;

namespace ShelfAgent.Tests.IotCore.Shadow;

public sealed class ShadowDocumentsTests
{
    [Fact]
    public void A_delta_gives_its_version_and_state()
    {
        var d = ShadowDocuments.ParseDelta("""{"version":7,"timestamp":1,"state":{"Sampling":{"IntervalMs":500}},"metadata":{}}"""u8);
        Assert.Equal(7, d!.Version);
        Assert.Equal(500, d.Delta!["Sampling"]!["IntervalMs"]!.GetValue<int>());
    }

    [Fact]
    public void A_get_reply_gives_the_delta_and_the_desired_size()
    {
        var json = """{"state":{"desired":{"Publish":{"IntervalMs":2000}},"reported":{},"delta":{"Publish":{"IntervalMs":2000}}},"version":12}""";
        var d = ShadowDocuments.ParseGetAccepted(Encoding.UTF8.GetBytes(json));
        Assert.Equal(12, d!.Version);
        Assert.NotNull(d.Delta);
        Assert.Equal("""{"Publish":{"IntervalMs":2000}}""".Length, d.DesiredBytes);
    }

    [Fact]
    public void A_get_reply_without_delta_has_nothing_to_do_and_garbage_is_not_a_document()
    {
        Assert.Null(ShadowDocuments.ParseGetAccepted("""{"state":{"reported":{}},"version":3}"""u8)!.Delta);
        Assert.Null(ShadowDocuments.ParseDelta("""{"state":{}}"""u8));
        Assert.Null(ShadowDocuments.ParseDelta("not json"u8));
    }

    [Fact]
    public void The_gate_ignores_stale_and_repeated_versions()
    {
        var gate = new ShadowVersionGate();
        Assert.True(gate.TryAdvance(5));
        Assert.False(gate.TryAdvance(4));
        Assert.False(gate.TryAdvance(5));
        Assert.True(gate.TryAdvance(9));
        Assert.Equal(9, gate.Last);
    }
}

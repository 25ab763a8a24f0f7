namespace ShelfAgent.Tests.Fakes;

/// <summary>A clock that moves only when the test says so (Microsoft.Extensions.TimeProvider.Testing is not obtainable here).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

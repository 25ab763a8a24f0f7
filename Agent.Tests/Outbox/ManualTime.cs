namespace ShelfAgent.Tests.Outbox;

/// <summary>A clock the test sets by hand (Microsoft.Extensions.TimeProvider.Testing does not restore here).</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

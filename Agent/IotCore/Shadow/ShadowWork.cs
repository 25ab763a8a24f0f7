namespace ShelfAgent.IotCore.Shadow;

/// <summary>What the shadow loop does next.</summary>
internal enum ShadowWorkKind
{
    /// <summary>Report if changed and the interval has passed.</summary>
    Periodic,

    /// <summary>Read the whole shadow (after a connect).</summary>
    Get,

    /// <summary>Act on a delta.</summary>
    Delta,

    /// <summary>Report now if changed.</summary>
    Report,
}

/// <summary>One item of the shadow loop's queue.</summary>
internal sealed record ShadowWork(ShadowWorkKind Kind, ShadowDesired? Desired = null)
{
    public static ShadowWork Periodic { get; } = new(ShadowWorkKind.Periodic);

    public static ShadowWork Get { get; } = new(ShadowWorkKind.Get);

    public static ShadowWork Report { get; } = new(ShadowWorkKind.Report);

    public static ShadowWork ForDelta(ShadowDesired desired) => new(ShadowWorkKind.Delta, desired);
}

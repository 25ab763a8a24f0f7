namespace ShelfAgent.Diagnostics;

/// <summary>How a doctor check came out.</summary>
public enum CheckStatus
{
    /// <summary>Fine.</summary>
    Ok,
    /// <summary>Works, but will hurt later (a certificate expiring soon, a key readable by others).</summary>
    Warn,
    /// <summary>Broken: the agent cannot do its job until this is fixed.</summary>
    Fail,
}

/// <summary>One line of <c>shelf-agent doctor</c>: what was checked, how it came out, what to do.</summary>
public sealed record CheckResult(string Check, CheckStatus Status, string Detail);

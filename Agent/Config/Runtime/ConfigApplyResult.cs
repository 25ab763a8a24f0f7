namespace ShelfAgent.Config.Runtime;

/// <summary>What <see cref="IConfigApplier.ApplyAsync"/> did.</summary>
/// <param name="Keys">One entry per changed key, in the order given.</param>
/// <param name="ConfigHash">The hash of the effective configuration afterwards (reported in the shadow as <c>configHash</c>).</param>
public sealed record ConfigApplyResult(IReadOnlyList<ConfigKeyResult> Keys, string ConfigHash)
{
    /// <summary>True when every key was accepted.</summary>
    public bool AllAccepted => Keys.All(k => k.Accepted);

    /// <summary>The refused keys.</summary>
    public IEnumerable<ConfigKeyResult> Refused => Keys.Where(k => !k.Accepted);
}

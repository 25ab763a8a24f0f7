namespace ShelfAgent.Config.Runtime;

/// <summary>What <see cref="ConfigJudge.Judge"/> decided.</summary>
/// <param name="Accepted">The entries now in effect (a subset of those given).</param>
/// <param name="Refused">The entries refused, each with the loader's reason.</param>
/// <param name="Overlay">The flat overlay to run with: the previous one with the accepted entries applied.</param>
public sealed record ConfigJudgement(
    IReadOnlyList<ConfigPatchEntry> Accepted,
    IReadOnlyList<ConfigKeyResult> Refused,
    IReadOnlyDictionary<string, string> Overlay);

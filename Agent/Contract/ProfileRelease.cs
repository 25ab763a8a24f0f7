using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Contract;

/// <summary>
/// One store's profiles of a profile release: the artifact a <c>profiles-update</c> job points to
/// (<c>shelf.profile.release.v1</c>, docs/jobs.md): <c>{"schema","release","store","profiles":[shelf.profile.v1…]}</c>.
/// Plain data; <see cref="ProfileReleaseParser"/> reads it. Every profile carries <see cref="DemandProfile.Release"/>.
/// </summary>
/// <param name="Release">The release id.</param>
/// <param name="Store">The store the artifact is for.</param>
/// <param name="Profiles">The store's profiles, one per thing and slot. Empty: the release withdraws every cloud profile.</param>
public sealed record ProfileRelease(string Release, string Store, IReadOnlyList<DemandProfile> Profiles)
{
    /// <summary>Schema name of the artifact.</summary>
    public const string Schema = "shelf.profile.release.v1";

    /// <summary>Longest release id accepted.</summary>
    public const int MaxIdLength = 64;

    /// <summary>A release id the agent accepts: 1–64 of A-Z, a-z, 0-9, '.', '_', '-' (the cloud's are <c>r-</c> + a-z0-9-).</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>The profiles for <paramref name="thing"/> (its slots' own; the others of the store are not its business).</summary>
    public IReadOnlyList<DemandProfile> For(string thing) => [.. Profiles.Where(p => p.Thing == thing)];
}

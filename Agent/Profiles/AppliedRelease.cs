using ShelfAgent.Contract;

namespace ShelfAgent.Profiles;

/// <summary>
/// The profile release this device runs, shared by the job that replaces it, the stock pipeline that is built from it and
/// the shadow that reports it. Thread-safe: the whole release is replaced at once.
/// </summary>
/// <param name="initial">The release kept from the last run (<see cref="ProfileReleaseFile"/>), or null.</param>
public sealed class AppliedRelease(ProfileRelease? initial)
{
    private ProfileRelease? _current = initial;

    /// <summary>The release in use, or null.</summary>
    public ProfileRelease? Current => Volatile.Read(ref _current);

    /// <summary>Replaces the release in use (null: none).</summary>
    public void Set(ProfileRelease? release) => Volatile.Write(ref _current, release);
}

namespace ShelfAgent.IotCore.Shadow;

/// <summary><c>device.profiles</c> in the shadow: the profile release the device runs and how many of its slots it feeds.</summary>
/// <param name="Release">The release id (a <c>profiles-update</c> job's).</param>
/// <param name="Slots">Slots whose estimates the release feeds (a slot with a shadow <c>DemandProfiles</c> override is not counted).</param>
public sealed record ProfilesReport(string Release, int Slots);

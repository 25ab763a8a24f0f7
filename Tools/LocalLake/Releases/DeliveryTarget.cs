namespace ShelfAgent.LocalLake.Releases;

/// <summary>
/// Where the lake sends releases on one machine: the state folder of a running local IoT Core (the stand-in for IoT Jobs)
/// and the HTTPS root the published files are served at (<c>local-lake serve</c>, the stand-in for S3).
/// </summary>
public sealed record DeliveryTarget(string IotCoreState, Uri BaseUrl);

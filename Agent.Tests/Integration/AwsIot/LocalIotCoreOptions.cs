namespace ShelfAgent.Tests.Integration.AwsIot;

/// <summary>How a test wants its local AWS IoT Core.</summary>
public sealed class LocalIotCoreOptions
{
    /// <summary>The service's clock: ownership-token expiry, shadow and job timestamps. A FakeTimeProvider lets a test expire a token.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Lifetime of create-from-csr's certificateOwnershipToken (developer guide: 1 hour).</summary>
    public TimeSpan OwnershipTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Extra mosquitto.conf lines.</summary>
    public IReadOnlyList<string> ExtraBrokerLines { get; init; } = [];
}

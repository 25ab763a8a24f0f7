using ShelfAgent.LocalIot;

namespace ShelfAgent.Tests.Integration;

/// <summary>
/// What an <see cref="IntegrationEnvironment"/> should stand on: a broker of its own, shaped by these options, or a
/// class's <see cref="SharedBroker"/> (which converts to options, so <c>StartAsync(shared)</c> reads as it does).
/// </summary>
public sealed class IntegrationOptions
{
    /// <summary>A class's broker, left running for its next test; the other options do not apply to it.</summary>
    public SharedBroker? Shared { get; init; }

    /// <summary>mosquitto ACL lines (acl_file): the broker refuses what they do not allow, as an IoT policy would.</summary>
    public IReadOnlyList<string>? Acl { get; init; }

    /// <summary>Keep sessions and subscriptions across a broker restart (mosquitto persistence).</summary>
    public bool Persistence { get; init; } = true;

    /// <summary>Certificates made by the openssl command line (an RSA CA, PKCS#1 keys) instead of the test's own CA.</summary>
    public bool OpenSsl { get; init; }

    /// <summary>Extra mosquitto.conf lines (e.g. "log_type subscribe").</summary>
    public IReadOnlyList<string> BrokerLines { get; init; } = [];

    /// <summary>Start the local AWS IoT Core (its broker enforces Cloud's policies) with these options.</summary>
    public LocalIotCoreOptions? IotCore { get; init; }

    public static implicit operator IntegrationOptions(SharedBroker shared) => new() { Shared = shared };
}

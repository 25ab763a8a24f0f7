using ShelfAgent.LocalIot.Broker;
namespace ShelfAgent.Tests.Integration;

/// <summary>
/// One mosquitto for all tests of a class (<c>IClassFixture&lt;SharedBroker&gt;</c>; xunit runs a class's tests one
/// after another, classes side by side). For tests that neither stop the broker nor change its rules: each still has
/// its own folder, client ids and topics (<c>IntegrationEnvironment.StartAsync(shared)</c>).
/// </summary>
public sealed class SharedBroker : IAsyncLifetime
{
    private MosquittoBroker? _broker;

    public MosquittoBroker Broker => _broker ?? throw new InvalidOperationException("xunit has not started the fixture");

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}

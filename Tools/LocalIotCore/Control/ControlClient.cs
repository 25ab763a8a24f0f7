using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MQTTnet.Exceptions;
using ShelfAgent.LocalIot.State;

namespace ShelfAgent.LocalIot.Control;

/// <summary>
/// A second process's line to a running core: connects to 127.0.0.1 with the service identity named in the state
/// folder's endpoint.json (a client id of its own, so the core's session is left alone) and makes control requests.
/// </summary>
public sealed class ControlClient : IAsyncDisposable
{
    private static readonly TimeSpan ReplyBound = TimeSpan.FromSeconds(15);
    private readonly MqttTestClient _client;

    private ControlClient(MqttTestClient client)
    {
        _client = client;
    }

    /// <summary>Connects to the core that runs on <paramref name="stateDirectory"/>; <see cref="CoreNotRunningException"/> when none does.</summary>
    public static async Task<ControlClient> ConnectAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var endpoint = CoreEndpoint.Read(stateDirectory)
            ?? throw new CoreNotRunningException(
                $"no local-iot-core runs on {Path.GetFullPath(stateDirectory)} (no {CoreEndpoint.FileName}): " +
                $"start one with 'local-iot-core start --state {stateDirectory}'");
        try
        {
            var clientId = "local-iot-core-cli-" + Guid.NewGuid().ToString("N")[..8];
            return new ControlClient(await MqttTestClient.ConnectAsync(endpoint.Host, endpoint.Port, endpoint.CaFile, endpoint.CertFile, endpoint.KeyFile,
                clientId, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is MqttCommunicationException or SocketException or IOException)
        {
            throw new CoreNotRunningException($"the local-iot-core of {Path.GetFullPath(stateDirectory)} does not answer on {endpoint.Host}:{endpoint.Port} " +
                $"(process {endpoint.ProcessId}; stopped without cleaning up?): {e.Message}", e);
        }
    }

    /// <summary>Sends one request and waits (bounded) for its answer, matched by clientToken.</summary>
    public async Task<ControlReply> RequestAsync(ControlOperation operation, JsonObject request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var topic = ControlTopics.Request(operation);
        var token = Guid.NewGuid().ToString("N");
        request["clientToken"] = token;
        // AWS's pattern: subscribe to the answers before asking.
        await _client.SubscribeAsync(topic + "/accepted", cancellationToken).ConfigureAwait(false);
        await _client.SubscribeAsync(topic + "/rejected", cancellationToken).ConfigureAwait(false);
        await _client.PublishAsync(topic, request.ToJsonString(), cancellationToken).ConfigureAwait(false);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(ReplyBound);
        try
        {
            while (true)
            {
                var message = await _client.Received.ReadAsync(bound.Token).ConfigureAwait(false);
                if (JsonNode.Parse(Encoding.UTF8.GetString(message.Payload)) is JsonObject body && body["clientToken"]?.GetValue<string>() == token)
                {
                    return new ControlReply(message.Topic.EndsWith("/accepted", StringComparison.Ordinal), body);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the core did not answer {ControlTopics.Name(operation)} within {ReplyBound.TotalSeconds:0} s");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("the core answered with something that is not JSON: " + e.Message, e);
        }
    }

    public async ValueTask DisposeAsync() => await _client.DisposeAsync().ConfigureAwait(false);
}

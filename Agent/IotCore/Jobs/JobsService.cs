using Microsoft.Extensions.Hosting;
using ShelfAgent.Transport;

namespace ShelfAgent.IotCore.Jobs;

/// <summary>
/// Runs the <see cref="JobsClient"/> for the agent's lifetime on the agent's own connection, and wakes it after every
/// connect (jobs queued while the device was offline are announced by no notify-next). A stop cancels a running
/// operation; its persisted record lets the next start finish or fail the job.
/// </summary>
public sealed class JobsService(MqttTransport transport, JobsClient client) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        transport.Connected += OnConnectedAsync;
        try
        {
            await client.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the job record stays for the next start.
        }
        finally
        {
            transport.Connected -= OnConnectedAsync;
        }
    }

    private Task OnConnectedAsync(MqttConnectedEventArgs args)
    {
        client.Wake();
        return Task.CompletedTask;
    }
}

namespace ShelfAgent.Simulator.Scale;

/// <summary>Faults on a schedule: --broker-restart-at stops the simulator's own broker for --outage-seconds, once.</summary>
public static class FaultInjection
{
    public static async Task RunAsync(FleetOptions fleet, FleetBroker broker, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(output);
        if (fleet.Faults.BrokerRestartAt is not { } at || broker.Broker is null)
        {
            return;
        }

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(at), cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"shelf-sim: fault: broker stopped for {fleet.Outage.TotalSeconds:0} s").ConfigureAwait(false);
            await broker.StopAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(fleet.Outage, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The run ended first; the broker is started again below if it was stopped.
        }

        if (broker.IsDown)
        {
            await broker.StartAgainAsync(CancellationToken.None).ConfigureAwait(false);
            await output.WriteLineAsync("shelf-sim: fault: broker started again").ConfigureAwait(false);
        }
    }
}

namespace ShelfAgent.Simulator.Scale;

/// <summary>Which devices this process runs (its shard of stores × devices) and what each one is: name, folder, faults.</summary>
public static class FleetPlan
{
    /// <summary>The devices of this shard; those picked by --dropout-fraction connect to <paramref name="dropoutPort"/> (the relay) instead.</summary>
    public static List<VirtualDevice.Own> Devices(FleetOptions fleet, FleetBroker broker, int? dropoutPort = null)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(broker);
        var devices = new List<VirtualDevice.Own>();
        for (var s = 1; s <= fleet.Stores; s++)
        {
            for (var d = 1; d <= fleet.DevicesPerStore; d++)
            {
                var fleetIndex = ((s - 1) * fleet.DevicesPerStore) + (d - 1);
                if (!fleet.Shard.Contains(fleetIndex))
                {
                    continue;
                }

                var thing = $"sim-{s:D4}-{d:D2}";
                var dropsOut = dropoutPort is not null && FaultPlan.Picks(fleet.Faults.DropoutFraction, fleetIndex);
                var config = new DeviceConfigFile.Device(
                    thing,
                    $"store-{s:D4}",
                    Path.GetFullPath(Path.Combine(fleet.WorkDirectory, thing)),
                    broker.Host,
                    dropsOut ? dropoutPort!.Value : broker.Port,
                    Path.GetFullPath(broker.CaCertFile),
                    HashCode.Combine(fleet.Seed, s, d));
                devices.Add(new VirtualDevice.Own(
                    devices.Count,
                    config,
                    FaultPlan.Picks(fleet.Faults.ClockSkewFraction, fleetIndex) ? fleet.Faults.ClockSkew : TimeSpan.Zero,
                    FaultPlan.Picks(fleet.Faults.NoRtcFraction, fleetIndex),
                    dropsOut));
            }
        }

        return devices;
    }
}

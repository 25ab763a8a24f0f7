namespace ShelfAgent.Simulator.Scale;

/// <summary>Which devices this process runs (its shard of stores × devices) and what each one is: name, folder, faults.</summary>
public static class FleetPlan
{
    public static List<VirtualDevice.Own> Devices(FleetOptions fleet, FleetBroker broker)
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
                var config = new DeviceConfigFile.Device(
                    thing,
                    $"store-{s:D4}",
                    Path.GetFullPath(Path.Combine(fleet.WorkDirectory, thing)),
                    broker.Host,
                    broker.Port,
                    Path.GetFullPath(broker.CaCertFile),
                    HashCode.Combine(fleet.Seed, s, d));
                devices.Add(new VirtualDevice.Own(
                    devices.Count,
                    config,
                    FaultPlan.Picks(fleet.Faults.ClockSkewFraction, fleetIndex) ? fleet.Faults.ClockSkew : TimeSpan.Zero,
                    FaultPlan.Picks(fleet.Faults.NoRtcFraction, fleetIndex)));
            }
        }

        return devices;
    }
}

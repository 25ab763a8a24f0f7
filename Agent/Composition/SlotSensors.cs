using Microsoft.Extensions.Logging;
using ShelfAgent.Hardware;
using ShelfAgent.Sensors;
using ShelfAgent.Sensors.Simulated;
using ShelfAgent.Stock;
using ShelfAgent.Validation;

namespace ShelfAgent.Composition;

/// <summary>Builds and checks the sensors of configured slots, whatever their type (for the technician's commands).</summary>
public static class SlotSensors
{
    /// <summary>The slot's sensor: simulated or hardware. Nothing is opened until the first read.</summary>
    public static ISensor Create(SlotOptions slot, TimeProvider time, IHardwareAccess hardware)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return SensorFactory.IsHardware(slot.Sensor)
            ? SensorFactory.CreateHardware(slot.Sensor, time, hardware)
            : new SimulatedLoadCell(slot, time);
    }

    /// <summary>
    /// The calibration to use: the stored one; for the simulated cell, its factory calibration until <c>calibrate</c>
    /// stored a complete one; the distance map for a distance sensor, which is never calibrated.
    /// </summary>
    public static Calibration? CalibrationFor(SlotOptions slot, CalibrationFile file)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(file);
        if (!SensorFactory.IsHardware(slot.Sensor))
        {
            return (file.Slots.TryGetValue(slot.Id, out var stored) ? stored.ToCalibration(slot.TareGrams) : null) ?? SimulatedLoadCell.FactoryCalibration;
        }

        if (SensorFactory.DistanceLevelFor(slot.Sensor) is { } level)
        {
            return level.ToCalibration(slot.UnitGrams, slot.TareGrams);
        }

        return file.Slots.TryGetValue(slot.Id, out var c) ? c.ToCalibration(slot.TareGrams) : null;
    }

    /// <summary>
    /// What the sampler needs for a slot: its sensor (built here unless <paramref name="sensor"/> is given, e.g.
    /// the caller's simulated cell) wrapped with calibration, health checks and retry backoff.
    /// </summary>
    public static ResilientSensor CreateResilient(
        SlotOptions slot,
        CalibrationFile calibrations,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        IHardwareAccess? hardware = null,
        ISensor? sensor = null)
    {
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        return new ResilientSensor(
            slot.Id,
            sensor ?? Create(slot, time, hardware ?? Buses.Real),
            CalibrationFor(slot, calibrations),
            new SensorHealthMonitor(SensorFactory.HealthLimits(slot.Sensor)),
            time,
            loggerFactory.CreateLogger("ShelfAgent.Sensors." + slot.Id));
    }

    /// <summary>Every sensor problem of every slot, keys like <c>Slots:2:Sensor:DataLine</c>.</summary>
    public static IEnumerable<ConfigProblem> Validate(IReadOnlyList<SlotOptions> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        return slots.SelectMany((s, i) => s.Sensor.Validate($"Slots:{i}:Sensor"));
    }
}

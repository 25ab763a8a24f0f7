using ShelfAgent.Config;
using ShelfAgent.Sensors;
using ShelfAgent.Tests.Config;

namespace ShelfAgent.Tests.Sensors;

/// <summary>The hardware keys come through the real config loader (source-generated binder) as written in agent.json.</summary>
public sealed class SensorOptionsBindingTests : IDisposable
{
    private readonly ConfigFiles _files = new();

    [Fact]
    public void Hardware_sensor_keys_bind_from_agent_json()
    {
        var path = _files.Write(_files.ValidJson("""
            [ { "Id": "A1", "Sku": "X", "UnitGrams": 10, "Capacity": 5,
                "Sensor": { "Type": "Hx711", "GpioChip": 4, "DataLine": 5, "ClockLine": 6, "Gain": 32, "Samples": 7,
                            "Filter": "TrimmedMean", "MaxGrams": 9000, "StuckSeconds": 0 } },
              { "Id": "C1", "Sku": "Y", "UnitGrams": 10, "Capacity": 5,
                "Sensor": { "Type": "Ads1115", "Address": "0x4B", "Input": "AIN2", "FullScaleVolts": 2.048, "SamplesPerSecond": 860,
                            "Curve": [ { "Volts": 0.4, "Value": 800 }, { "Volts": 3.1, "Value": 70 } ] } } ]
            """));

        var options = AgentConfigLoader.Load(path, out var warnings, ConfigFiles.NoEnvironment);

        var hx = options.Slots[0].Sensor;
        Assert.Equal(
            (4, 5, 6, 32, 7, SampleFilterKind.TrimmedMean, 9000.0, 0),
            (hx.GpioChip, hx.DataLine!.Value, hx.ClockLine!.Value, hx.Gain, hx.Samples, hx.Filter, hx.MaxGrams!.Value, hx.StuckSeconds!.Value));
        var ads = options.Slots[1].Sensor;
        Assert.Equal(0x4B, ads.ResolvedAddress);
        Assert.Equal(("AIN2", 2.048, 860), (ads.Input, ads.FullScaleVolts, ads.SamplesPerSecond!.Value));
        Assert.Equal([(0.4, 800.0), (3.1, 70.0)], ads.Curve.Select(p => (p.Volts, p.Value)));
        Assert.Empty(warnings);
        Assert.Empty(options.Slots.SelectMany((s, i) => s.Sensor.Validate($"Slots:{i}:Sensor")));
    }

    public void Dispose() => _files.Dispose();
}

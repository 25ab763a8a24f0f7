using Microsoft.Extensions.Logging;
using ShelfAgent.Sensors;
using ShelfAgent.Tests.Fakes;
using ShelfAgent.Tests.Outbox;

namespace ShelfAgent.Tests.Sensors;

/// <summary>What a flaky sensor leaves in the agent's log (the readings stay marked as faults, one by one).</summary>
public sealed class ResilientSensorLoggingTests
{
    /// <summary>Answers in turn from a script: a number, or a time-out as a chip that is not ready.</summary>
    private sealed class ScriptedSensor(Func<int, bool> fails) : ISensor
    {
        private int _reads;

        public string Describe => "scripted cell";

        public ValueTask<double> ReadRawAsync(CancellationToken cancellationToken) =>
            fails(_reads++) ? throw new TimeoutException("not ready") : ValueTask.FromResult(1000.0 + (_reads % 2));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_sensor_failing_one_read_in_three_logs_its_first_fault_then_a_count_a_minute_and_marks_every_reading()
    {
        var clock = new FakeClock();
        var log = new ListLogger<ResilientSensor>();
        var sensor = new ResilientSensor(
            "B3", new ScriptedSensor(n => n % 3 == 0), Calibration.Identity, new SensorHealthMonitor(new SensorHealthLimits(null, null, null)), clock, log);
        var faults = 0;

        for (var s = 0; s < 300; s++)
        {
            faults += (await sensor.SampleAsync(CancellationToken.None)).FaultReason is null ? 0 : 1;
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await sensor.DisposeAsync();
        var warnings = log.Entries.Where(e => e.Level >= LogLevel.Warning).ToList();
        var everyFault = log.Entries.Where(e => e.Id.Id == 2204).ToList();

        Assert.Equal(100, faults); // readings: every failed read is still a fault (a read in backoff would be one more)
        Assert.StartsWith(
            "Slot B3 sensor scripted cell failed: timeout: not ready (1 in a row); retrying in 1 s. More faults of this sensor are counted",
            warnings[0].Message,
            StringComparison.Ordinal);
        Assert.Equal(2201, warnings[0].Id.Id);
        Assert.All(warnings.Skip(1), w => Assert.Equal(2203, w.Id.Id));
        Assert.InRange(warnings.Count, 5, 7); // first, one a minute, the rest at stop: not 100
        Assert.Matches(
            @"^Slot B3 sensor scripted cell: \d+ more faults in 60 s, \d+ good readings between them, " +
            @"(reading now|failing now \(1 in a row\)); last: timeout: not ready$",
            warnings[1].Message);
        Assert.Equal(99, everyFault.Count); // every fault but the first, at Debug (Logging:Level Debug shows them)
        Assert.All(everyFault, e => Assert.Equal(LogLevel.Debug, e.Level));
    }

    [Fact]
    public async Task A_sensor_that_reads_a_whole_minute_without_fault_is_logged_as_recovered()
    {
        var clock = new FakeClock();
        var log = new ListLogger<ResilientSensor>();
        var sensor = new ResilientSensor(
            "A1", new ScriptedSensor(n => n == 0), Calibration.Identity, new SensorHealthMonitor(new SensorHealthLimits(null, null, null)), clock, log);

        for (var s = 0; s < 70; s++)
        {
            await sensor.SampleAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var recovered = Assert.Single(log.Entries, e => e.Id.Id == 2202);
        Assert.Equal("Slot A1 sensor scripted cell recovered: no fault for 60 s (1 faults in 1 min)", recovered.Message);
        Assert.Equal(LogLevel.Information, recovered.Level);
    }
}

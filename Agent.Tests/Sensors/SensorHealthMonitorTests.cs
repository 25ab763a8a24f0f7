using ShelfAgent.Sensors;

namespace ShelfAgent.Tests.Sensors;

public sealed class SensorHealthMonitorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Identical_raw_values_for_too_long_are_a_stuck_fault()
    {
        var m = new SensorHealthMonitor(new SensorHealthLimits(StuckAfter: TimeSpan.FromMinutes(10)));

        Assert.Null(m.Check(T0, 1234, 500));
        Assert.Null(m.Check(T0.AddMinutes(9), 1234, 500));
        var fault = m.Check(T0.AddMinutes(10), 1234, 500);

        Assert.StartsWith("stuck: raw value 1234 unchanged for 600 s", fault, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changing_value_is_never_stuck()
    {
        var m = new SensorHealthMonitor(new SensorHealthLimits(StuckAfter: TimeSpan.FromMinutes(1)));
        for (var i = 0; i < 100; i++)
        {
            Assert.Null(m.Check(T0.AddSeconds(i * 10), 1000 + (i % 2), 500));
        }
    }

    [Theory]
    [InlineData(25_001, "out of range: 25001 g is above MaxGrams (25000 g)")]
    [InlineData(-501, "out of range: -501 g is below MinGrams (-500 g)")]
    public void Grams_outside_the_limits_are_a_fault(double grams, string expected)
    {
        var m = new SensorHealthMonitor(new SensorHealthLimits(MinGrams: -500, MaxGrams: 25_000));

        Assert.StartsWith(expected, m.Check(T0, 1, grams), StringComparison.Ordinal);
        Assert.Null(m.Check(T0, 2, 24_999));
    }

    [Fact]
    public void No_limits_means_no_faults()
        => Assert.Null(new SensorHealthMonitor(SensorHealthLimits.None).Check(T0, 1, 1e9));
}

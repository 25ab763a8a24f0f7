using ShelfAgent.Sensors;

namespace ShelfAgent.Tests.Sensors;

public sealed class VoltageCurveTests
{
    // A Sharp GP2Y0A21-like IR distance sensor: higher voltage when the product is closer.
    private readonly VoltageCurve _curve = new([(0.4, 800), (1.0, 300), (2.3, 100), (3.1, 70)]);

    [Theory]
    [InlineData(1.0, 300)]
    [InlineData(0.7, 550)]
    [InlineData(1.65, 200)]
    [InlineData(3.1, 70)]
    [InlineData(0.2, 966.6667)]  // extrapolated from the first segment
    public void Maps_linearly_between_points(double volts, double expected)
        => Assert.Equal(expected, _curve.Map(volts), 3);

    [Fact]
    public void Rejects_unsorted_points()
        => Assert.Throws<ArgumentException>(() => new VoltageCurve([(1.0, 1), (0.5, 2)]));
}

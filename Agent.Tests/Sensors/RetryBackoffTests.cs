using ShelfAgent.Sensors;

namespace ShelfAgent.Tests.Sensors;

public sealed class RetryBackoffTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 16)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(1000, 300)]
    public void Doubles_from_one_second_up_to_five_minutes(int faults, double seconds)
        => Assert.Equal(TimeSpan.FromSeconds(seconds), RetryBackoff.Default.After(faults));
}

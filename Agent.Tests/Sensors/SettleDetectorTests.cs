using ShelfAgent.Sensors;

namespace ShelfAgent.Tests.Sensors;

public sealed class SettleDetectorTests
{
    [Fact]
    public void Noisy_but_flat_readings_settle_once_the_window_is_full()
    {
        var d = new SettleDetector(window: 10);
        double[] noise = [3, -2, 1, 0, -1, 2, -3, 1, 0, -1];
        var results = noise.Select(n => d.Add(84_000 + n)).ToList();

        Assert.All(results.Take(9), r => Assert.False(r));
        Assert.True(results[^1]);
        Assert.Equal(84_000, d.Value, 0);
    }

    [Fact]
    public void A_step_inside_the_window_is_not_settled()
    {
        var d = new SettleDetector(window: 10);
        double[] noise = [3, -2, 1, 0, -1, 2, -3, 1, 0, -1];
        for (var i = 0; i < 10; i++)
        {
            d.Add((i < 5 ? 84_000 : 120_000) + noise[i]);
        }

        Assert.False(d.IsSettled);
    }

    [Fact]
    public void A_creeping_load_cell_is_not_settled_until_it_stops()
    {
        var d = new SettleDetector(window: 10);
        for (var i = 0; i < 10; i++)
        {
            d.Add(1000 + i * 20 + (i % 2 == 0 ? 2 : -2));
        }

        Assert.False(d.IsSettled);
        for (var i = 0; i < 10; i++)
        {
            d.Add(1200 + (i % 2 == 0 ? 2 : -2));
        }

        Assert.True(d.IsSettled);
    }
}

using ShelfAgent.Pipeline;
using ShelfAgent.Stock.Forecasting;
using static ShelfAgent.Tests.Stock.Forecasting.ForecastTraces;

namespace ShelfAgent.Tests.Stock.Forecasting;

public sealed class DemandPersistenceTests
{
    [Fact]
    public async Task Learned_demand_survives_a_restart()
    {
        using var dir = new TempDirectory();
        var store = new DemandStore(dir.File("demand.json"));
        // Two days of selling 6 an hour, restocked whenever empty: enough for the device's own shape.
        var before = new ForecastTraces(Monday);
        for (var h = 0; h < 48; h++)
        {
            before.Deplete(24, 19, TimeSpan.FromMinutes(10));
        }

        Assert.True(before.Pipeline.HasUnsavedLearning);
        await store.SaveAsync(before.Pipeline.Snapshot(before.Now), CancellationToken.None);
        Assert.False(before.Pipeline.HasUnsavedLearning);

        var (state, problem) = await store.LoadAsync(CancellationToken.None);
        var after = new ForecastTraces(before.Now, learned: state);
        after.Read(20);

        Assert.Null(problem);
        Assert.Equal(ProfileSource.Device, before.Pipeline.SourceOf("A1"));
        Assert.Equal(ProfileSource.Device, after.Pipeline.SourceOf("A1"));
        // Two days ahead, where the short-term level (not persisted) has faded: only the learned shape speaks.
        var then = before.Now.AddDays(2);
        Assert.Equal(before.Pipeline.Forecast(then).Slots[0].RatePerHour, after.Pipeline.Forecast(then).Slots[0].RatePerHour, 1);
        Assert.InRange(after.Pipeline.Forecast(then).Slots[0].RatePerHour, 4.5, 7.5);
    }

    [Fact]
    public async Task A_fresh_device_and_a_changed_sku_start_learning_from_nothing()
    {
        using var dir = new TempDirectory();
        var state = new DemandState(
            Monday, [new SlotDemandState("A1", "ORANGE-330", Enumerable.Repeat(5.0, 168).ToArray(), Enumerable.Repeat(1.0, 168).ToArray())]);
        await new DemandStore(dir.File("demand.json")).SaveAsync(state, CancellationToken.None);
        var (loaded, _) = await new DemandStore(dir.File("demand.json")).LoadAsync(CancellationToken.None);
        var (missing, problem) = await new DemandStore(dir.File("none.json")).LoadAsync(CancellationToken.None);

        Assert.Empty(missing.Slots);
        Assert.Null(problem);
        Assert.Equal(ProfileSource.None, new ForecastTraces(Monday, learned: loaded).Pipeline.SourceOf("A1"));
    }

    [Fact]
    public async Task A_damaged_file_is_moved_aside_and_learning_starts_again()
    {
        using var dir = new TempDirectory();
        var path = dir.File("demand.json");
        await File.WriteAllTextAsync(path, "{\"schema\":\"shelf.demand-state.v1\",\"slots\":[{\"slot\":\"A1\"");

        var (state, problem) = await new DemandStore(path).LoadAsync(CancellationToken.None);

        Assert.Empty(state.Slots);
        Assert.Contains("moved to", problem, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
        Assert.Single(Directory.GetFiles(dir.Path, "demand.json.corrupt-*"));
    }

    [Fact]
    public async Task Saving_leaves_no_temporary_file()
    {
        using var dir = new TempDirectory();
        await new DemandStore(dir.File("demand.json")).SaveAsync(DemandState.Empty, CancellationToken.None);

        Assert.Equal(["demand.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}

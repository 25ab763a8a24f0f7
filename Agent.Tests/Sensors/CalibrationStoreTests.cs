using ShelfAgent.Sensors;

namespace ShelfAgent.Tests.Sensors;

public sealed class CalibrationStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shelf-cal-").FullName;

    private string FilePath => Path.Combine(_dir, "state", "calibration.json");

    [Fact]
    public async Task A_missing_file_is_an_empty_calibration()
    {
        var file = await new CalibrationStore(FilePath).LoadAsync(CancellationToken.None);

        Assert.Empty(file.Slots);
    }

    [Fact]
    public async Task Saves_and_reloads_per_slot_keeping_the_others()
    {
        var store = new CalibrationStore(FilePath);
        await store.UpdateAsync("A1", _ => new SlotCalibration { TareRaw = 84_000, Scale = 0.0046 }, CancellationToken.None);
        await store.UpdateAsync("B2", _ => new SlotCalibration { TareRaw = -12 }, CancellationToken.None);
        await store.UpdateAsync("a1", c => c! with { ReferenceGrams = 1000 }, CancellationToken.None);

        var file = await new CalibrationStore(FilePath).LoadAsync(CancellationToken.None);

        Assert.Equal(new SlotCalibration { TareRaw = 84_000, Scale = 0.0046, ReferenceGrams = 1000 }, file.Slots["A1"]);
        Assert.Equal(-12, file.Slots["B2"].TareRaw);
        Assert.False(File.Exists(FilePath + ".tmp"));
        Assert.Contains("\"tareRaw\": 84000", await File.ReadAllTextAsync(FilePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_file_is_a_clear_error_and_is_left_alone()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await File.WriteAllTextAsync(FilePath, "{ not json");

        var e = await Assert.ThrowsAsync<IOException>(() => new CalibrationStore(FilePath).LoadAsync(CancellationToken.None));

        Assert.Contains("is not a valid calibration file", e.Message, StringComparison.Ordinal);
        Assert.Equal("{ not json", await File.ReadAllTextAsync(FilePath));
    }

    [Fact]
    public void Gross_grams_include_the_slots_tare_weight()
    {
        // Empty slot (a 250 g tray) reads 84 000; a 1 000 g reference reads 301 000.
        var scale = SlotCalibration.SpanScale(84_000, 301_000, 1000);
        var calibration = new SlotCalibration { TareRaw = 84_000, Scale = scale }.ToCalibration(tareGrams: 250)!;

        Assert.Equal(250, calibration.ToGrams(84_000), 6);
        Assert.Equal(1250, calibration.ToGrams(301_000), 6);
    }

    [Fact]
    public void An_incomplete_calibration_gives_no_map()
        => Assert.Null(new SlotCalibration { TareRaw = 1 }.ToCalibration(0));

    [Fact]
    public void A_span_that_did_not_move_the_reading_is_refused()
        => Assert.Throws<ArgumentException>(() => SlotCalibration.SpanScale(5, 5, 1000));

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

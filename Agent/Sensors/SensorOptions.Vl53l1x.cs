using System.Globalization;
using ShelfAgent.Drivers.Vl53l1x;

namespace ShelfAgent.Sensors;

// The VL53L1X time-of-flight level sensor's keys, kept in their own file so each sensor type's options
// and checks read together.
public sealed partial class SensorOptions
{
    /// <summary>Vl53l1x: distance from the sensor to the back of the slot (or the empty pusher) with no items, in mm.</summary>
    public double? EmptyDistanceMm { get; set; }

    /// <summary>Vl53l1x: how far the front item moves per item taken (the item's depth along the sensor's beam), in mm.</summary>
    public double? MmPerItem { get; set; }

    /// <summary>Vl53l1x: Short (up to ~1.3 m, best under store lighting; default) or Long (up to ~4 m).</summary>
    public Vl53l1xDistanceMode DistanceMode { get; set; } = Vl53l1xDistanceMode.Short;

    /// <summary>Vl53l1x: time per measurement in ms: 15 (Short only), 20, 33, 50, 100, 200 or 500 (default 50).</summary>
    public int TimingBudgetMs { get; set; } = 50;

    private void ValidateVl53l1x(Action<string, string> problem)
    {
        ValidateBus(problem);
        if (Address is not null && (!TryParseAddress(Address, out var a) || a != Vl53l1xSettings.Address))
        {
            problem("Address", $"must be 0x29 for Vl53l1x, its address after power-up (was \"{Address}\")");
        }

        // The loader refuses other text (SensorSectionReader); only a caller's bug gets a number here.
        Vl53l1xDistanceMode? mode = Enum.IsDefined(DistanceMode) ? DistanceMode : null;
        if (mode is null)
        {
            problem("DistanceMode", $"must be Short or Long (was {(int)DistanceMode})");
        }

        if (!Vl53l1xSettings.TimingBudgets.Contains(TimingBudgetMs))
        {
            problem("TimingBudgetMs", $"must be 15, 20, 33, 50, 100, 200 or 500 (was {TimingBudgetMs})");
        }
        else if (mode is { } m && !Vl53l1xSettings.IsValidBudget(m, TimingBudgetMs))
        {
            problem("TimingBudgetMs", "15 ms exists only in Short distance mode: use 20 or more, or DistanceMode Short");
        }

        var reach = mode == Vl53l1xDistanceMode.Long ? Vl53l1xSettings.LongModeMaxMm : Vl53l1xSettings.ShortModeMaxMm;
        if (EmptyDistanceMm is not { } empty)
        {
            problem(
                "EmptyDistanceMm", "is required for Vl53l1x: the distance in mm the sensor reads with the slot empty (sensors read --slot ID --raw shows it)");
        }
        else if (!double.IsFinite(empty) || empty <= 0)
        {
            problem("EmptyDistanceMm", $"must be more than 0 mm (was {empty.ToString(CultureInfo.InvariantCulture)})");
        }
        else if (empty > reach)
        {
            problem("EmptyDistanceMm", mode == Vl53l1xDistanceMode.Long
                ? $"must be at most {reach} mm, the VL53L1X's reach (was {empty.ToString(CultureInfo.InvariantCulture)})"
                : $"must be at most {reach} mm in Short distance mode (was {empty.ToString(CultureInfo.InvariantCulture)}); " +
                  "set DistanceMode Long for up to 4000 mm");
        }

        if (MmPerItem is not { } perItem)
        {
            problem("MmPerItem", "is required for Vl53l1x: the depth of one item along the beam, in mm");
        }
        else if (!double.IsFinite(perItem) || perItem <= 0)
        {
            problem("MmPerItem", $"must be more than 0 mm (was {perItem.ToString(CultureInfo.InvariantCulture)})");
        }
        else if (EmptyDistanceMm is { } e && double.IsFinite(e) && perItem > e)
        {
            problem(
                "MmPerItem",
                $"must be at most EmptyDistanceMm {e.ToString(CultureInfo.InvariantCulture)} (was {perItem.ToString(CultureInfo.InvariantCulture)}): " +
                "not even one item would fit");
        }
    }
}

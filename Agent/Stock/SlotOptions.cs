using ShelfAgent.Sensors;

namespace ShelfAgent.Stock;

/// <summary><c>Slots[]</c>: one product position on a shelf, measured by one sensor.</summary>
public sealed class SlotOptions
{
    /// <summary>Unique id on this device, e.g. "A1".</summary>
    public string Id { get; set; } = "";

    /// <summary>Product stocked in the slot, e.g. "COLA-355".</summary>
    public string Sku { get; set; } = "";

    /// <summary>Weight of one item in grams.</summary>
    public double UnitGrams { get; set; }

    /// <summary>Weight on the sensor when the slot is empty (tray, pusher), in grams.</summary>
    public double TareGrams { get; set; }

    /// <summary>Most items the slot holds.</summary>
    public int Capacity { get; set; }

    /// <summary>At or below this count the slot is "low".</summary>
    public int LowStockAt { get; set; }

    /// <summary>The sensor measuring the slot.</summary>
    public SensorOptions Sensor { get; set; } = new();
}

namespace ShelfAgent.Stock.Forecasting;

/// <summary>Which demand shape fed an estimate (<c>profile</c> in <c>shelf.forecast.v1</c>).</summary>
public enum ProfileSource
{
    /// <summary>No hour-of-week shape yet: a flat rate from what the device has seen.</summary>
    None,
    /// <summary>The shape the device learned itself.</summary>
    Device,
    /// <summary>A cloud-trained <c>shelf.profile.v1</c>, blended with what the device learned.</summary>
    Cloud,
}

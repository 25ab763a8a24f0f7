namespace ShelfAgent.Hardware;

/// <summary>Input bias of a GPIO line (GPIO_V2_LINE_FLAG_BIAS_*).</summary>
public enum GpioBias
{
    /// <summary>Leave as configured (firmware default).</summary>
    AsIs,

    /// <summary>No pull resistor.</summary>
    Disabled,

    /// <summary>Internal pull-up.</summary>
    PullUp,

    /// <summary>Internal pull-down.</summary>
    PullDown,
}

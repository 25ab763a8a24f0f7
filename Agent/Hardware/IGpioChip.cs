namespace ShelfAgent.Hardware;

/// <summary>A GPIO chip (/dev/gpiochipN) that hands out lines.</summary>
public interface IGpioChip : IDisposable
{
    /// <summary>Chip number.</summary>
    int Chip { get; }

    /// <summary>Requests a line as input.</summary>
    IGpioLine OpenInput(int offset, GpioBias bias, string consumer);

    /// <summary>Requests a line as output, driven to <paramref name="initialHigh"/> at once.</summary>
    IGpioLine OpenOutput(int offset, bool initialHigh, string consumer);
}

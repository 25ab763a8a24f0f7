namespace ShelfAgent.Hardware;

/// <summary>An I2C bus (/dev/i2c-N): opens devices on it and probes addresses.</summary>
public interface II2cBus : IDisposable
{
    /// <summary>Bus number.</summary>
    int Bus { get; }

    /// <summary>Opens the device at a 7-bit address; nothing is sent yet.</summary>
    II2cDevice OpenDevice(int address);

    /// <summary>True if a device acknowledges a one-byte read at the address (what i2cdetect -r does).</summary>
    bool Probe(int address);
}

namespace ShelfAgent.Hardware;

/// <summary>One device on an I2C bus. Methods are synchronous: a transfer takes well under a millisecond.</summary>
public interface II2cDevice : IDisposable
{
    /// <summary>Bus number (the N of /dev/i2c-N).</summary>
    int Bus { get; }

    /// <summary>7-bit address.</summary>
    int Address { get; }

    /// <summary>Writes bytes in one message (START, address+W, bytes, STOP).</summary>
    /// <exception cref="I2cNackException">Nobody acknowledged.</exception>
    void Write(ReadOnlySpan<byte> data);

    /// <summary>Reads bytes in one message.</summary>
    void Read(Span<byte> data);

    /// <summary>Writes then reads with a repeated START in between (register read), as one I2C_RDWR transfer.</summary>
    void WriteRead(ReadOnlySpan<byte> write, Span<byte> read);
}

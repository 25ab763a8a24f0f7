namespace ShelfAgent.Hardware;

/// <summary>One requested GPIO line. Synchronous: bit-banging needs each edge as soon as possible.</summary>
public interface IGpioLine : IDisposable
{
    /// <summary>Line offset on its chip (the BCM GPIO number on a Pi).</summary>
    int Offset { get; }

    /// <summary>Reads the level: true is high.</summary>
    bool Read();

    /// <summary>Drives an output line high (true) or low.</summary>
    void Write(bool high);
}

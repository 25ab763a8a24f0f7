using ShelfAgent.Hardware;

namespace ShelfAgent.Tests.Fakes;

/// <summary>A GPIO line whose reads and writes go to a chip model.</summary>
public sealed class FakeGpioLine(int offset, Func<bool> read, Action<bool> write) : IGpioLine
{
    public int Offset => offset;

    public bool Disposed { get; private set; }

    public bool Read() => Disposed ? throw new ObjectDisposedException(nameof(FakeGpioLine)) : read();

    public void Write(bool high)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        write(high);
    }

    public void Dispose() => Disposed = true;
}

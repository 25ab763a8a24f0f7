using ShelfAgent.Hardware;

namespace ShelfAgent.Tests.Fakes;

/// <summary>An I2C bus with chip models at addresses; an empty address NACKs as the Linux adapter reports it (EREMOTEIO).</summary>
public sealed class FakeI2cBus(int bus = 1) : II2cBus
{
    private const int EREMOTEIO = 121;

    public Dictionary<int, IFakeI2cChip> Chips { get; } = [];

    /// <summary>Every message, for tests that check the wire: (address, isRead, bytes).</summary>
    public List<(int Address, bool Read, byte[] Bytes)> Log { get; } = [];

    public int Bus => bus;

    public II2cDevice OpenDevice(int address) => new Device(this, address);

    public bool Probe(int address) => Chips.ContainsKey(address);

    public void Dispose()
    {
    }

    private IFakeI2cChip Chip(int address)
        => Chips.TryGetValue(address, out var chip) ? chip : throw HardwareErrors.I2cTransfer(bus, address, EREMOTEIO);

    private sealed class Device(FakeI2cBus owner, int address) : II2cDevice
    {
        public int Bus => owner.Bus;

        public int Address => address;

        public void Write(ReadOnlySpan<byte> data)
        {
            owner.Chip(address).OnWrite(data);
            owner.Log.Add((address, false, data.ToArray()));
        }

        public void Read(Span<byte> data)
        {
            owner.Chip(address).OnRead(data);
            owner.Log.Add((address, true, data.ToArray()));
        }

        public void WriteRead(ReadOnlySpan<byte> write, Span<byte> read)
        {
            // Repeated START: the chip sees a write then a read with no STOP between.
            Write(write);
            Read(read);
        }

        public void Dispose()
        {
        }
    }
}

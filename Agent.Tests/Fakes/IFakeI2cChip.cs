namespace ShelfAgent.Tests.Fakes;

/// <summary>A chip model on a fake I2C bus: sees each message as the wire would carry it.</summary>
public interface IFakeI2cChip
{
    void OnWrite(ReadOnlySpan<byte> data);

    void OnRead(Span<byte> data);
}

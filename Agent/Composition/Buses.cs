using ShelfAgent.Hardware;
using ShelfAgent.Hardware.Linux;

namespace ShelfAgent.Composition;

/// <summary>
/// The device's real buses (GPIO character devices and /dev/i2c-N). Everything else takes an
/// <see cref="IHardwareAccess"/>, so tests and the simulator put fakes in its place; this is the one name for
/// the real ones outside Hardware/Linux (docs/architecture.md; a test fails when another folder names them).
/// </summary>
public static class Buses
{
    /// <summary>The Linux kernel interfaces: GPIO uAPI v2 and i2c-dev.</summary>
    public static IHardwareAccess Real => LinuxHardware.Instance;
}

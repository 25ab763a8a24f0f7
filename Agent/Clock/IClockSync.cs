namespace ShelfAgent.Clock;

/// <summary>Whether the kernel's clock has been set by network time.</summary>
public interface IClockSync
{
    /// <summary>True when synchronised; false when not or unknown.</summary>
    bool IsSynchronised();
}

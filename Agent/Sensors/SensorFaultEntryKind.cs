namespace ShelfAgent.Sensors;

/// <summary>Which line <see cref="SensorFaultLog"/> asks for.</summary>
public enum SensorFaultEntryKind
{
    /// <summary>The first fault after a quiet spell: logged in full.</summary>
    First,

    /// <summary>The faults of a window, counted.</summary>
    Summary,

    /// <summary>A whole window without a fault.</summary>
    Recovered,
}

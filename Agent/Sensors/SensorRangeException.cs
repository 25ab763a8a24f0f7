namespace ShelfAgent.Sensors;

/// <summary>The sensor answered, but with a value it cannot mean (the converter is saturated, a wire is open).</summary>
public sealed class SensorRangeException : IOException
{
    /// <summary>Creates the exception.</summary>
    public SensorRangeException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public SensorRangeException() { }

    /// <summary>Creates the exception.</summary>
    public SensorRangeException(string message, Exception innerException) : base(message, innerException) { }
}

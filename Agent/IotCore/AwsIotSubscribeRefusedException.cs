namespace ShelfAgent.IotCore;

/// <summary>The broker refused a subscription a request needs (SUBACK reason ≥ 0x80): usually the IoT policy.</summary>
public sealed class AwsIotSubscribeRefusedException : Exception
{
    /// <summary>Creates the exception for <paramref name="filter"/>.</summary>
    public AwsIotSubscribeRefusedException(string filter)
        : base($"The broker refused the subscription to '{filter}' (check the IoT policy allows iot:Subscribe and iot:Receive on it).")
    {
        Filter = filter;
    }

    /// <summary>Creates the exception.</summary>
    public AwsIotSubscribeRefusedException()
        : this("")
    {
    }

    /// <summary>Creates the exception.</summary>
    public AwsIotSubscribeRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Filter = "";
    }

    /// <summary>The refused topic filter.</summary>
    public string Filter { get; } = "";
}

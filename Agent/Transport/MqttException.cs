namespace ShelfAgent.Transport;

/// <summary>
/// Base of the client's own small exception set. <see cref="Hint"/> tells an operator what to check;
/// the message says what happened.
/// </summary>
public class MqttException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public MqttException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public MqttException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the original cause.</summary>
    public MqttException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with a message, an operator hint and the original cause.</summary>
    public MqttException(string message, string? hint, Exception? innerException = null)
        : base(message, innerException)
    {
        Hint = hint;
    }

    /// <summary>What an operator should check, or null.</summary>
    public string? Hint { get; }

    /// <inheritdoc />
    public override string Message => Hint is null ? base.Message : $"{base.Message} Hint: {Hint}";
}

namespace ShelfAgent.LocalIot.Control;

/// <summary>A control request refused: the code and the message go back on …/rejected.</summary>
internal sealed class ControlRefusal(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

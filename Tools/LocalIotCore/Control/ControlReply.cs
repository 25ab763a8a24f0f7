using System.Text.Json.Nodes;

namespace ShelfAgent.LocalIot.Control;

/// <summary>A running core's answer to a control request: accepted with its body, or rejected with {code, message}.</summary>
public sealed record ControlReply(bool Accepted, JsonObject Body)
{
    /// <summary>"code: message" of a rejection.</summary>
    public string Problem => $"{Body["code"]?.ToString() ?? "?"}: {Body["message"]?.ToString() ?? "(no message)"}";
}

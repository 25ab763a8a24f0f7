using System.Text.Json.Nodes;

namespace ShelfAgent.LocalIot;

/// <summary>A message the service publishes in answer to a request or a change (…/accepted, …/delta, notify-next).</summary>
public sealed record IotReply(string Topic, JsonObject Payload);

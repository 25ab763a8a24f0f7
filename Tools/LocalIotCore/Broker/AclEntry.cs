namespace ShelfAgent.LocalIot.Broker;

/// <summary>One mosquitto ACL line for a user: access (read, write, readwrite, deny) and an MQTT topic or filter.</summary>
public sealed record AclEntry(string Access, string Topic);

using System.Text.Json.Serialization;

namespace ShelfAgent.IotCore.Provisioning;

/// <summary>Source-generated JSON for the provisioning state file (no reflection: the agent is trimmed).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ProvisioningState))]
internal sealed partial class ProvisioningJsonContext : JsonSerializerContext;

using System.Text.Json.Serialization;

namespace ShelfAgent.Sensors;

/// <summary>Source-generated JSON for the calibration file (no reflection: the agent is trimmed).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CalibrationFile))]
internal sealed partial class CalibrationJsonContext : JsonSerializerContext;

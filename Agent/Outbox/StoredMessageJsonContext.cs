using System.Text.Json.Serialization;
using ShelfAgent.Stock;
using ShelfAgent.Stock.Forecasting;

namespace ShelfAgent.Outbox;

/// <summary>
/// Source-generated JSON for the stock messages as the outbox stores them (no reflection: the agent is Native AOT).
/// This is a storage format, private to the outbox file, not the contract with the cloud: property names are the
/// records' own, enums by name so a stored row survives a reordered enum.
/// </summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StockEvent))]
[JsonSerializable(typeof(StockAlert))]
[JsonSerializable(typeof(StockForecast))]
internal sealed partial class StoredMessageJsonContext : JsonSerializerContext;

using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Outbox;

/// <summary>First-lane items for tests: real stock messages, as the pipeline appends them.</summary>
internal static class OutboxItems
{
    public static OutboxEvent Alert(DateTimeOffset at, string reason = "test", string slot = "A1")
        => new(new StockAlert(at, slot, "COLA-330", StockAlertType.Fault, null, reason));

    public static OutboxEvent Pick(DateTimeOffset at, int count = 10, string slot = "A1")
        => new(new StockEvent(at, slot, "COLA-330", StockEventType.Pick, -1, count));
}

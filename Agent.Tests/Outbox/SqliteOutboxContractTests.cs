using Microsoft.Extensions.Logging.Abstractions;
using ShelfAgent.Outbox;
using static ShelfAgent.Tests.Outbox.OutboxTestData;

namespace ShelfAgent.Tests.Outbox;

/// <summary>The <see cref="IOutbox"/> contract on the agent's SQLite file.</summary>
public sealed class SqliteOutboxContractTests : OutboxContractTests
{
    protected override async Task<IOutbox> OpenAsync(TimeProvider time, long maxBytes = 256L * 1024 * 1024) =>
        await SqliteOutbox.OpenAsync(Options(Dir.File("outbox.db"), maxBytes), time, NullLogger<SqliteOutbox>.Instance, CancellationToken.None);
}

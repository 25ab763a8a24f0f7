using Microsoft.Data.Sqlite;
using ShelfAgent.Outbox;
using ShelfAgent.Stock;

namespace ShelfAgent.Tests.Outbox;

/// <summary>Readings and helpers shared by the outbox tests.</summary>
internal static class OutboxTestData
{
    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public static Reading Reading(int i, string slot = "A1", DateTimeOffset? at = null) =>
        new(at ?? Now.AddMilliseconds(i), slot, "COLA-355", 355.0 * (i % 12) + 0.5, i % 12, i % 12 == 0 ? StockStatus.Empty : StockStatus.Ok);

    public static Reading[] Readings(int count, string slot = "A1", DateTimeOffset? at = null) =>
        Enumerable.Range(0, count).Select(i => Reading(i, slot, at)).ToArray();

    public static OutboxOptions Options(string path, long maxBytes = 256L * 1024 * 1024, int windowMs = 5) =>
        new() { Path = path, MaxBytes = maxBytes, CommitWindowMs = windowMs };

    public static Task<SqliteOutbox> OpenAsync(string path, ListLogger<SqliteOutbox>? log = null, long maxBytes = 256L * 1024 * 1024, int windowMs = 5) =>
        SqliteOutbox.OpenAsync(Options(path, maxBytes, windowMs), TimeProvider.System, log ?? new ListLogger<SqliteOutbox>(), CancellationToken.None);

    public static string IntegrityCheck(string path)
    {
        using var db = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check;";
        return (string)cmd.ExecuteScalar()!;
    }

    public static long Scalar(string path, string sql)
    {
        using var db = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

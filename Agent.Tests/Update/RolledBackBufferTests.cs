using ShelfAgent.Tests.Outbox;
using ShelfAgent.Update;

namespace ShelfAgent.Tests.Update;

/// <summary>
/// The buffer after a rollback to a release that cannot read its schema: a real outbox file whose user_version a newer
/// release raised, and update.state as the guard (or rollback.sh) left it.
/// </summary>
public sealed class RolledBackBufferTests : IDisposable
{
    private readonly TempDirectory _dir = new("rolled-back-buffer");
    private readonly UpdateRecordFile _records;
    private readonly string _buffer;

    public RolledBackBufferTests()
    {
        _records = new UpdateRecordFile(Directory.CreateDirectory(_dir.File("updates")).FullName);
        _buffer = _dir.File("outbox.db");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_newer_schema_after_a_rollback_is_set_aside_whole_and_the_reason_says_so_first()
    {
        await BufferAsync(readings: 25, schema: RolledBackBuffer.ReadableSchema + 1);
        var rolledBack = new UpdateRecord("job-1", "1.0.0", "1.1.0", UpdatePhase.RolledBack, "the new version did not connect");
        await _records.SaveAsync(rolledBack, CancellationToken.None);

        var note = await RolledBackBuffer.SetAsideIfUnreadableAsync(
            _records, _buffer, "1.0.0", DateTimeOffset.Parse("2026-12-07T15:00:00Z"), CancellationToken.None);

        var kept = $"outbox.db.schema{RolledBackBuffer.ReadableSchema + 1}-20261207T150000Z";
        Assert.Equal($"1.0.0 cannot read outbox schema 3 (reads up to 2): 25 readings kept in {kept}", note);
        Assert.Equal($"{note}; rolled back: the new version did not connect", _records.Load(out _)!.Reason);
        Assert.False(File.Exists(_buffer));
        Assert.Equal(25, OutboxTestData.Scalar(_dir.File(kept), "SELECT count(*) FROM reading;"));
        Assert.True(note!.Length <= 110, "the note leaves room for the rollback's own reason in a 128-character status value");
    }

    [Theory]
    [InlineData("readable schema", UpdatePhase.RolledBack, "1.0.0", 0)]
    [InlineData("not rolled back", UpdatePhase.Switched, "1.0.0", 1)]
    [InlineData("another version runs", UpdatePhase.RolledBack, "1.1.0", 1)]
    public async Task Nothing_is_moved_when(string why, UpdatePhase phase, string running, int schemaAbove)
    {
        await BufferAsync(readings: 3, schema: RolledBackBuffer.ReadableSchema + schemaAbove);
        await _records.SaveAsync(new UpdateRecord("job-1", "1.0.0", "1.1.0", phase, "r"), CancellationToken.None);

        var note = await RolledBackBuffer.SetAsideIfUnreadableAsync(_records, _buffer, running, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.True(note is null, why);
        Assert.True(File.Exists(_buffer), why);
        Assert.Equal("r", _records.Load(out _)!.Reason);
    }

    private async Task BufferAsync(int readings, int schema)
    {
        await using (var outbox = await OutboxTestData.OpenAsync(_buffer))
        {
            await outbox.AppendAsync(OutboxTestData.Readings(readings), CancellationToken.None);
        }

        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_buffer};Pooling=False");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"PRAGMA user_version={schema};";
        cmd.ExecuteNonQuery();
    }
}

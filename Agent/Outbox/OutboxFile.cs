using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ShelfAgent.Outbox;

/// <summary>Opening, checking, creating and moving aside the outbox's SQLite file. No outbox logic.</summary>
internal static class OutboxFile
{
    /// <summary>PRAGMA application_id of a ShelfAgent outbox: "SHLF".</summary>
    public const int ApplicationId = 0x53484C46;

    /// <summary>PRAGMA user_version of the schema this code writes.</summary>
    public const int SchemaVersion = 2;

    /// <summary><c>event.form</c>: the row holds the stock message as data (schema 2 on).</summary>
    public const long FormMessage = 0;

    /// <summary><c>event.form</c>: the row holds a wire payload, written by schema 1 (published verbatim).</summary>
    public const long FormWirePayload = 1;

    // SQLite result codes (sqlite3.h).
    public const int SqliteBusy = 5;
    public const int SqliteLocked = 6;
    public const int SqliteFull = 13;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS reading(
            seq    INTEGER PRIMARY KEY,  -- per-device sequence number, assigned at commit
            ts     INTEGER NOT NULL,     -- unix milliseconds, UTC
            slot   TEXT    NOT NULL,
            sku    TEXT    NOT NULL,
            grams  REAL,
            count  INTEGER,
            status INTEGER NOT NULL,     -- StockStatus: 0 ok, 1 low, 2 empty, 3 fault; + 16 (OutboxRows.TimeUntrustedBit) when the clock was not trusted
            reason TEXT);
        CREATE TABLE IF NOT EXISTS event(
            id      INTEGER PRIMARY KEY AUTOINCREMENT,
            ts      INTEGER NOT NULL,
            kind    TEXT    NOT NULL,    -- events | alerts | forecast
            payload TEXT    NOT NULL,    -- form 0: the stock message as JSON data; form 1: a schema-1 wire payload
            form    INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS dropped(slot TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS raw(       -- raw grams kept on the device (Buffer:RawRetentionDays), never published
            ts     INTEGER NOT NULL,     -- unix milliseconds, UTC
            slot   TEXT    NOT NULL,
            sku    TEXT    NOT NULL,
            grams  REAL,
            count  INTEGER,
            status INTEGER NOT NULL,     -- as reading.status
            reason TEXT);
        CREATE INDEX IF NOT EXISTS raw_ts ON raw(ts);
        """;

    // Per-minute summaries (Publish:Readings summaries) on a reading row: added to files of any schema without a version
    // bump, so an older agent (a rolled-back update) still opens the file and simply does not read them.
    private static readonly string[] SummaryColumns = ["n INTEGER", "gmin REAL", "gmax REAL", "faults INTEGER"];

    /// <summary>A read-write connection string that does not pool (so closing really closes the file).</summary>
    public static string ConnectionString(string path, bool readOnly) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        Cache = SqliteCacheMode.Private,
        DefaultTimeout = 30,
    }.ToString();

    /// <summary>
    /// Opens (or creates) the buffer, checks it, and sets it up: WAL, synchronous, size cap, schema.
    /// Throws <see cref="SqliteException"/> or <see cref="OutboxCorruptException"/> when the file is unusable.
    /// </summary>
    /// <param name="path">The buffer file.</param>
    /// <param name="options">Synchronous mode and size cap.</param>
    /// <param name="isNew">True when the file had no outbox schema yet (new or empty file).</param>
    public static SqliteConnection Open(string path, OutboxOptions options, out bool isNew)
    {
        ArgumentNullException.ThrowIfNull(options);
        var db = new SqliteConnection(ConnectionString(path, readOnly: false));
        try
        {
            db.Open();
            var appId = Convert.ToInt64(Scalar(db, "PRAGMA application_id;"), CultureInfo.InvariantCulture);
            var version = Convert.ToInt64(Scalar(db, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
            var tables = Convert.ToInt64(Scalar(db, "SELECT count(*) FROM sqlite_schema;"), CultureInfo.InvariantCulture);
            isNew = tables == 0;
            if (!isNew && appId != ApplicationId)
            {
                throw new OutboxCorruptException($"{path} is a SQLite file but not a ShelfAgent outbox (application_id {appId}).");
            }

            if (version > SchemaVersion)
            {
                // A newer agent wrote it: refuse rather than destroy data by moving it aside.
                throw new InvalidOperationException($"{path} has outbox schema {version}; this agent reads up to {SchemaVersion}. Upgrade the agent.");
            }

            // quick_check: O(pages) structure check, no index cross-checks; integrity_check would take many
            // seconds on a full 256 MB file on an SD card, delaying every boot (docs/buffer.md, "Recovery").
            var check = Convert.ToString(Scalar(db, "PRAGMA quick_check;"), CultureInfo.InvariantCulture);
            if (check != "ok")
            {
                throw new OutboxCorruptException($"{path} failed PRAGMA quick_check: {check}");
            }

            var mode = Convert.ToString(Scalar(db, "PRAGMA journal_mode=WAL;"), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new OutboxCorruptException($"{path} could not be switched to WAL (journal_mode={mode}).");
            }

            if (!isNew && version == 1)
            {
                // Schema 1 stored wire payloads; they stay publishable as they are (docs/buffer.md, "Schema").
                Execute(db, $"ALTER TABLE event ADD COLUMN form INTEGER NOT NULL DEFAULT {FormWirePayload};");
            }

            var sync = options.Synchronous == OutboxSynchronous.Normal ? "NORMAL" : "FULL";
            Execute(db, $"""
                PRAGMA synchronous={sync};
                PRAGMA journal_size_limit=4194304;
                PRAGMA max_page_count={MaxPageCount(db, path, options.MaxBytes)};
                {Schema}
                PRAGMA application_id={ApplicationId};
                PRAGMA user_version={SchemaVersion};
                """);
            if (!HasSummaryColumns(db))
            {
                foreach (var column in SummaryColumns)
                {
                    Execute(db, $"ALTER TABLE reading ADD COLUMN {column};");
                }
            }

            return db;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>Room kept free on the file system for the WAL (4 MB autocheckpoint + one large commit) and the sidecar.</summary>
    public const long FileSystemReserveBytes = 8L * 1024 * 1024;

    /// <summary>
    /// The page limit that keeps the database within <paramref name="maxBytes"/> and within the free space of its
    /// file system (less <see cref="FileSystemReserveBytes"/>), so a filling disk shows up as SQLITE_FULL at the
    /// page limit, where evicting old telemetry makes room, rather than as ENOSPC in the WAL or a checkpoint, where
    /// nothing can be written at all (not even the delete that would free space).
    /// </summary>
    public static long MaxPageCount(SqliteConnection db, string path, long maxBytes)
    {
        var pageSize = Convert.ToInt64(Scalar(db, "PRAGMA page_size;"), CultureInfo.InvariantCulture);
        var pages = Convert.ToInt64(Scalar(db, "PRAGMA page_count;"), CultureInfo.InvariantCulture);
        var cap = maxBytes / pageSize;
        if (FreeBytes(path) is { } free)
        {
            cap = Math.Min(cap, pages + Math.Max(0, free - FileSystemReserveBytes) / pageSize);
        }

        return Math.Max(16, cap);
    }

    /// <summary>Bytes available to this process on the file system holding <paramref name="path"/>, if known.</summary>
    public static long? FreeBytes(string path)
    {
        try
        {
            // On Linux DriveInfo takes any path and asks statvfs(2) about its file system.
            return new DriveInfo(Path.GetDirectoryName(path) ?? path).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Best effort: the next sequence number recorded in an (possibly damaged) outbox file, or 0.</summary>
    public static long TryReadNextSeq(string path)
    {
        try
        {
            using var db = new SqliteConnection(ConnectionString(path, readOnly: true));
            db.Open();
            var fromMeta = Scalar(db, "SELECT value FROM meta WHERE key='next_seq';");
            var fromRows = Scalar(db, "SELECT max(seq) + 1 FROM reading;");
            return Math.Max(ToLong(fromMeta), ToLong(fromRows));
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Moves the file (and its -wal) aside as <c>&lt;name&gt;.&lt;tag&gt;-&lt;yyyyMMddTHHmmssZ&gt;</c> (tag <c>corrupt</c> unless given), kept,
    /// and deletes its -shm (a cache rebuilt from the WAL). Returns the new name.
    /// </summary>
    public static string MoveAside(string path, DateTimeOffset now, string tag = "corrupt") => MoveAside(path, AsideName(path, now, tag));

    /// <summary>The name <see cref="MoveAside(string, DateTimeOffset, string)"/> would give (a free one).</summary>
    public static string AsideName(string path, DateTimeOffset now, string tag)
    {
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = $"{path}.{tag}-{stamp}";
        for (var n = 2; File.Exists(target); n++)
        {
            target = $"{path}.{tag}-{stamp}-{n}";
        }

        return target;
    }

    /// <summary>Moves the file (and its -wal) to <paramref name="target"/>, deletes its -shm; returns <paramref name="target"/>.</summary>
    public static string MoveAside(string path, string target)
    {

        File.Move(path, target);
        if (File.Exists(path + "-wal"))
        {
            File.Move(path + "-wal", target + "-wal");
        }

        File.Delete(path + "-shm");
        return target;
    }

    /// <summary>True when the file's reading table has the summary columns (any file this agent has opened for writing).</summary>
    public static bool HasSummaryColumns(SqliteConnection db) =>
        ToLong(Scalar(db, "SELECT count(*) FROM pragma_table_info('reading') WHERE name = 'n';")) > 0;

    /// <summary>True when the file has the raw table (any file this agent has opened for writing).</summary>
    public static bool HasRawTable(SqliteConnection db) =>
        ToLong(Scalar(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'raw';")) > 0;

    public static object? Scalar(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    public static void Execute(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public static long ToLong(object? value) =>
        value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
}

using Microsoft.Data.Sqlite;

namespace ShelfAgent.Tests.Integration;

/// <summary>Looks into an agent's buffer file from outside, read-only, the way a technician's sqlite3 would.</summary>
public static class OutboxFileProbe
{
    /// <summary>PRAGMA integrity_check; "ok" also when the agent was killed before it created the file.</summary>
    public static string IntegrityCheck(string path)
    {
        if (!File.Exists(path))
        {
            return "ok";
        }

        // Read-write, as the agent's next start opens it: a kill in the middle of a transaction leaves a hot journal
        // or WAL that SQLite recovers on the next writable open, and a read-only open refuses to (SQLITE_READONLY).
        // What the check must prove is that the file is whole after that recovery.
        using var connection = Open(path, readOnly: false);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    /// <summary>Sequence numbers still waiting in the buffer (committed, not yet acknowledged); none before the tables exist.</summary>
    public static List<long> RemainingSeqs(string path)
    {
        var seqs = new List<long>();
        if (!File.Exists(path))
        {
            return seqs;
        }

        using var connection = Open(path);
        if (!HasReadingTable(connection))
        {
            // Killed after SQLite made the file but before the agent created its tables (seen under a load of 46 on
            // 2 cores): nothing was ever committed.
            return seqs;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq FROM reading";
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            seqs.Add(rows.GetInt64(0));
        }

        return seqs;
    }

    private static bool HasReadingTable(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'reading'";
        return (long)command.ExecuteScalar()! > 0;
    }

    private static SqliteConnection Open(string path, bool readOnly = true)
    {
        var connection = new SqliteConnection($"Data Source={path};Mode={(readOnly ? "ReadOnly" : "ReadWrite")};Pooling=False");
        connection.Open();
        return connection;
    }
}

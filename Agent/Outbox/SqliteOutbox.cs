using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using ShelfAgent.Stock;

namespace ShelfAgent.Outbox;

/// <summary>
/// The outbox in one SQLite file in WAL mode (docs/buffer.md). Appends are group-committed by one writer;
/// leases are tracked in memory only, so after a crash exactly the unacknowledged readings are sent again.
/// Thread-safe: one connection, guarded by one gate.
/// </summary>
public sealed partial class SqliteOutbox : IOutbox
{
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteOutbox> _log;
    private readonly string _path;
    private readonly SqliteConnection _db;
    private readonly SeqHighWaterMark _hwm;
    private readonly OutboxReserve _reserve;

    // Every use of _db happens under _gate. In-memory lease state is under _state (Release is synchronous).
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _state = new();
    private readonly Channel<CommitRequest> _requests =
        Channel.CreateUnbounded<CommitRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    private readonly InFlightSet _inFlight = new();
    private readonly HashSet<long> _eventsInFlight = [];
    private readonly Dictionary<string, long> _droppedStored;
    private readonly Dictionary<string, long> _droppedLeased = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _droppedUnsaved = new(StringComparer.Ordinal);

    // (commit time in unix ms, first seq of the commit) for the commits of the last live window: a reading
    // stamped within the window was committed within it, so the live lane only scans from the oldest of these.
    private readonly Queue<(long AtMs, long FirstSeq)> _recentCommits = new();
    private long _nextSeq;
    private long _readingRows;
    private long _eventRows;
    private long _pendingReadings;
    private TaskCompletionSource _dataArrived = NewSignal();
    private int _disposed;
    private long _commits;
    private ReadingInserter? _inserter;
    private long _lastLimitCheck;
    private long _pageLimit;
    private bool _limitCappedByDisk;
    private long? _pageLimitForTests;

    private SqliteOutbox(OutboxOptions options, TimeProvider time, ILogger<SqliteOutbox> log, string path,
        SqliteConnection db, SeqHighWaterMark hwm, long nextSeq, long readingRows, long eventRows,
        Dictionary<string, long> dropped, long liveFloor)
    {
        _options = options;
        _time = time;
        _log = log;
        _path = path;
        _db = db;
        _hwm = hwm;
        _nextSeq = nextSeq;
        _readingRows = readingRows;
        _eventRows = eventRows;
        _droppedStored = dropped;
        _reserve = new OutboxReserve(path);
        _reserveReleased = !_reserve.Held;
        _episode = ReadEpisode(db);
        _recentCommits.Enqueue((time.GetUtcNow().ToUnixTimeMilliseconds(), liveFloor));
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The full path of the buffer file.</summary>
    public string Path => _path;

    /// <summary>Readings and events that are stored and not in flight (what a lease could take now).</summary>
    public long Leasable
    {
        get
        {
            lock (_state)
            {
                return LeasableLocked();
            }
        }
    }

    /// <summary>
    /// Opens the buffer at <see cref="OutboxOptions.Path"/>, creating it if needed. A file that cannot be
    /// opened or fails its check is moved aside (kept) and replaced by a fresh one; that is logged as an error
    /// and counted in <see cref="OutboxStats.RecoveredFiles"/>, and the agent starts anyway.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (the message names each key).</exception>
    public static Task<SqliteOutbox> OpenAsync(OutboxOptions options, TimeProvider time, ILogger<SqliteOutbox> log, CancellationToken ct)
    {
        // The integrity check reads the whole file: seconds on a full SD card, so not on the caller's thread.
        return Task.Run(() => Open(options, time, log), ct);
    }

    /// <summary>
    /// As <see cref="OpenAsync"/>, on the calling thread: for a container's factory, which cannot await (the
    /// composition root resolves the outbox off the caller's thread). The caller owns the result and disposes it.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (the message names each key).</exception>
    public static SqliteOutbox Open(OutboxOptions options, TimeProvider time, ILogger<SqliteOutbox> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(log);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid buffer options: " + string.Join("; ", problems), nameof(options));
        }

        return OpenFile(options, time, log);
    }

    /// <summary>
    /// Reads the outbox's counters from its file through a separate read-only connection, so it works from a
    /// second process while the agent runs (WAL lets readers and the writer proceed together).
    /// </summary>
    public static Task<OutboxStats> ReadStatsAsync(string path, TimeProvider time, CancellationToken ct) =>
        OutboxInspector.ReadStatsAsync(path, time, new OutboxOptions().LiveWindowSeconds, ct);

    /// <summary>As <see cref="ReadStatsAsync(string, TimeProvider, CancellationToken)"/>, with the configured live window.</summary>
    public static Task<OutboxStats> ReadStatsAsync(string path, TimeProvider time, int liveWindowSeconds, CancellationToken ct) =>
        OutboxInspector.ReadStatsAsync(path, time, liveWindowSeconds, ct);

    /// <summary>Streams stored readings stamped at or after <paramref name="since"/>, in sequence order, read-only.</summary>
    public static IAsyncEnumerable<StoredReading> ExportAsync(string path, DateTimeOffset since, CancellationToken ct) =>
        OutboxInspector.ExportReadingsAsync(path, since, ct);

    /// <summary>
    /// Streams the raw grams kept on the device (<c>Buffer:RawRetentionDays</c>) of the slots named (all when empty) stamped in
    /// [<paramref name="from"/>, <paramref name="to"/>), in time order, read-only (the agent keeps writing meanwhile).
    /// </summary>
    public static IAsyncEnumerable<Reading> ExportRawAsync(string path, IReadOnlyCollection<string> slots, DateTimeOffset from, DateTimeOffset to,
        CancellationToken ct) => OutboxInspector.ExportRawAsync(path, slots, from, to, ct);

    /// <summary>Streams stored events and alerts stamped at or after <paramref name="since"/>, oldest first, read-only.</summary>
    public static IAsyncEnumerable<StoredEvent> ExportEventsAsync(string path, DateTimeOffset since, CancellationToken ct) =>
        OutboxInspector.ExportEventsAsync(path, since, ct);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<Reading> readings, CancellationToken cancellationToken) =>
        AppendAsync(readings, [], cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<Reading> readings, IReadOnlyList<Reading> raw, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(raw);
        if (readings.Count == 0 && raw.Count == 0)
        {
            return [];
        }

        for (var i = 0; i < readings.Count; i++)
        {
            OutboxInput.Validate(readings[i], i);
        }

        for (var i = 0; i < raw.Count; i++)
        {
            OutboxInput.Validate(raw[i], i);
        }

        var request = new CommitRequest(readings, null, cancellationToken, raw);
        Interlocked.Add(ref _pendingReadings, readings.Count);
        Enqueue(request);
        return await request.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<long> AppendEventAsync(OutboxEvent outboxEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        if (outboxEvent.Message is null)
        {
            // Only rows read back from a schema-1 file lack the message; they are never written again.
            throw new ArgumentException("Only a stock message can be appended.", nameof(outboxEvent));
        }

        var request = new CommitRequest([], outboxEvent, cancellationToken);
        Enqueue(request);
        var ids = await request.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return ids[0];
    }

    /// <inheritdoc />
    public ValueTask WaitForDataAsync(CancellationToken cancellationToken) => WaitUntilAsync(() => LeasableLocked() > 0, cancellationToken);

    /// <inheritdoc />
    public ValueTask WaitForEventsAsync(CancellationToken cancellationToken) => WaitUntilAsync(() => _eventRows - _eventsInFlight.Count > 0, cancellationToken);

    // Waits for a condition on the lease state (checked under its lock), woken by every commit and release.
    private async ValueTask WaitUntilAsync(Func<bool> leasable, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task arrived;
            lock (_state)
            {
                if (leasable())
                {
                    return;
                }

                arrived = _dataArrived.Task;
            }

            await arrived.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Commits what is queued, then closes the file. Leases still in flight simply end (nothing is lost).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _requests.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _inserter?.Dispose();
            _insertRaw?.Dispose();
            await _db.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        lock (_state)
        {
            _dataArrived.TrySetCanceled();
        }
    }

    /// <summary>Append transactions committed since open (each is one WAL fsync under synchronous=FULL).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Test hook: pins PRAGMA max_page_count (a file system with this little room), instead of deriving it.</summary>
    internal long? PageLimitForTests
    {
        get => _pageLimitForTests;
        set
        {
            _pageLimitForTests = value;
            _lastLimitCheck = 0; // applied before the next commit
        }
    }

    /// <summary>Test hook: the writer's connection (read it only while the outbox is idle).</summary>
    internal SqliteConnection ConnectionForTests => _db;

    private static SqliteOutbox OpenFile(OutboxOptions options, TimeProvider time, ILogger<SqliteOutbox> log)
    {
        var path = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var hwm = SeqHighWaterMark.Load(path);
        var reserve = new OutboxReserve(path);
        SqliteConnection db;
        try
        {
            db = OpenOnFullDisk(path, options, reserve);
        }
        catch (Exception e) when (IsUnusableFile(e) && File.Exists(path))
        {
            var oldNext = OutboxFile.TryReadNextSeq(path);
            var aside = OutboxFile.MoveAside(path, time.GetUtcNow());
            hwm.RecordRecovery(oldNext - 1);
            OutboxLog.Recovered(log, path, e.Message, aside, hwm.RecoveredFiles);
            db = OutboxFile.Open(path, options, out _);
        }

        try
        {
            var next = OutboxFile.ToLong(OutboxFile.Scalar(db, "SELECT value FROM meta WHERE key='next_seq';"));
            if (next == 0)
            {
                // No recorded next seq: a new file (or one whose first commit never happened).
                var maxSeq = OutboxFile.ToLong(OutboxFile.Scalar(db, "SELECT max(seq) FROM reading;"));
                next = Math.Max(maxSeq + 1, hwm.FreshStart);
                OutboxFile.Execute(db, $"INSERT INTO meta(key, value) VALUES('next_seq', {next});");
            }

            var readings = OutboxFile.ToLong(OutboxFile.Scalar(db, "SELECT count(*) FROM reading;"));
            var events = OutboxFile.ToLong(OutboxFile.Scalar(db, "SELECT count(*) FROM event;"));
            var dropped = new Dictionary<string, long>(StringComparer.Ordinal);
            using (var cmd = db.CreateCommand())
            {
                cmd.CommandText = "SELECT slot, n FROM dropped WHERE n > 0;";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                {
                    dropped[r.GetString(0)] = r.GetInt64(1);
                }
            }

            var cutoff = time.GetUtcNow().ToUnixTimeMilliseconds() - options.LiveWindowSeconds * 1000L;
            var liveFloor = OutboxFile.ToLong(OutboxFile.Scalar(db, $"SELECT min(seq) FROM reading WHERE ts >= {cutoff};"));
            OutboxLog.Opened(log, path, readings, events, next, options.Synchronous);
            return new SqliteOutbox(options, time, log, path, db, hwm, next, readings, events, dropped,
                liveFloor == 0 ? next : liveFloor);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    // Busy/locked means another process holds the file, full means the disk: never move a good buffer aside for either.
    private static bool IsUnusableFile(Exception e) =>
        e is OutboxCorruptException
        || e is SqliteException s && s.SqliteErrorCode is not (OutboxFile.SqliteBusy or OutboxFile.SqliteLocked or OutboxFile.SqliteFull);

    // Opening writes (WAL switch, schema, pragmas): on a disk that filled while the agent was down, the reserve makes
    // the room for that. The reserve is written (again) at open when the disk has room for it and the usual margin.
    private static SqliteConnection OpenOnFullDisk(string path, OutboxOptions options, OutboxReserve reserve)
    {
        SqliteConnection db;
        try
        {
            db = OutboxFile.Open(path, options, out _);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == OutboxFile.SqliteFull && reserve.Release() > 0)
        {
            db = OutboxFile.Open(path, options, out _);
        }

        if (OutboxFile.FreeBytes(path) is { } free && free >= reserve.Bytes + OutboxFile.FileSystemReserveBytes)
        {
            reserve.TryCreate();
        }

        return db;
    }

    private void Enqueue(CommitRequest request)
    {
        // TryWrite fails only once DisposeAsync has completed the channel.
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0 || !_requests.Writer.TryWrite(request), this);
    }

    private long LeasableLocked() => _readingRows - _inFlight.Count + _eventRows - _eventsInFlight.Count;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Wakes WaitForDataAsync callers; called after a commit or a release.
    private void Signal()
    {
        TaskCompletionSource old;
        lock (_state)
        {
            old = _dataArrived;
            _dataArrived = NewSignal();
        }

        old.TrySetResult();
    }
}

using EventTracker.Contracts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// The <see cref="IEventStore"/> over PostgreSQL, for several stateless nodes over one database: appends go through
/// the <see cref="PostgresGroupWriter"/> (binary COPY, group commit, positions in commit order), queries are SQL over
/// the time-partitioned events table, and the feed is the events by position, with <see cref="PostgresFeedListener"/>
/// as the wake-up. Nothing about the events is kept in this process.
/// </summary>
internal sealed partial class PostgresEventStore : IEventStore, IRollupStore, IWriteStatistics, IAsyncDisposable, IDisposable
{
    // Partitions exist from this far back (ingestion accepts no older event times by default) to this far ahead.
    private static readonly TimeSpan PartitionsBack = TimeSpan.FromDays(31);
    private static readonly TimeSpan PartitionsAhead = TimeSpan.FromDays(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaintenanceInterval = TimeSpan.FromHours(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PostgresFeedListener _listener;
    private readonly PostgresGroupWriter _writer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _maintenance;
    private readonly TimeSpan? _maxAge;
    private readonly PostgresRecentCommits _recent = new();
    private readonly AppendBacklog _backlog;
    private readonly Lock _countsGate = new();
    private (FeedPosition At, long Held, long Evicted) _counts;

    public PostgresEventStore(NpgsqlDataSource dataSource, IOptions<EventStoreOptions> options, TimeProvider time, ILogger<PostgresEventStore> logger)
    {
        _dataSource = dataSource;
        _maxAge = options.Value.MaxAge;
        _backlog = new AppendBacklog(options.Value.MaxQueuedEvents);
        _time = time;
        _logger = logger;
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var database = $"{settings.Host ?? "(default host)"}:{settings.Port}, database {settings.Database ?? "(default)"}";
        try
        {
            using var connection = dataSource.OpenConnection();
            var version = PostgresSchema.MigrateAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
            EnsurePartitionsAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
            var head = ReadFeedRowAsync(connection, CancellationToken.None).GetAwaiter().GetResult();
            LogOpened(logger, database, version, head.Appended, Count);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new StoreUnavailableException($"Cannot open the PostgreSQL store at {database}: {e.Message}", e);
        }

        _listener = new PostgresFeedListener(dataSource, PostgresSchema.FeedChannel, time, logger);
        _writer = new PostgresGroupWriter(dataSource, time, logger, (head, held, stored) =>
        {
            _recent.Add(stored, head.Removed);
            Observe(head, held, evicted: null);
            _listener.Signal();
        });
        _maintenance = Task.Run(MaintainAsync);
    }

    /// <summary>Events held, as of this node's latest write or read of the feed.</summary>
    public long Count
    {
        get
        {
            lock (_countsGate)
            {
                return _counts.Held;
            }
        }
    }

    // The newest feed position this node has written or read.
    private FeedPosition LatestSeen
    {
        get
        {
            lock (_countsGate)
            {
                return _counts.At;
            }
        }
    }

    /// <summary>Appends refused because too many events were waiting for the database.</summary>
    public long ShedAppends => _backlog.Shed;

    public long QueuedEvents => _backlog.Queued;

    // The database makes its own writes durable.
    public long DiskSyncs => 0;

    public double DiskSyncSeconds => 0;

    /// <summary>Events dropped by retention (whole daily partitions older than <see cref="EventStoreOptions.MaxAge"/>), on any node.</summary>
    public long EvictedCount
    {
        get
        {
            lock (_countsGate)
            {
                return _counts.Evicted;
            }
        }
    }

    /// <summary>For tests: awaited inside each group's transaction just before it commits, with the positions it took.</summary>
    internal Func<long, long, Task>? BeforeCommit
    {
        get => _writer.BeforeCommit;
        set => _writer.BeforeCommit = value;
    }

    public async ValueTask<AppendResult> AppendAsync(NewEvent newEvent, CancellationToken cancellationToken) =>
        (await EnqueueAsync(AppendOperation.Single(newEvent), cancellationToken)).ToAppendResult();

    public async ValueTask<BatchAppendResult> AppendBatchAsync(string batchId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken) =>
        (await EnqueueAsync(AppendOperation.Batch(batchId, events), cancellationToken)).ToBatchResult();

    public ValueTask<EventPage> QueryAsync(
        EventFilter filter, long? from, long? to, int limit, EventPosition? before, CancellationToken cancellationToken) =>
        PostgresFailures.Guard(() => QueryDatabaseAsync(filter, from, to, limit, before, cancellationToken));

    public ValueTask<FeedPosition> ReadHeadAsync(CancellationToken cancellationToken) =>
        PostgresFailures.Guard(async () =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            return await ReadFeedRowAsync(connection, cancellationToken);
        });

    public ValueTask<FeedPage> ReadAsync(FeedPosition after, int maxChanges, CancellationToken cancellationToken) =>
        _recent.TryRead(after, maxChanges) is { } page
            ? ValueTask.FromResult(page)
            : PostgresFailures.Guard(() => ReadFeedAsync(after, maxChanges, cancellationToken));

    private async Task<EventPage> QueryDatabaseAsync(
        EventFilter filter, long? from, long? to, int limit, EventPosition? before, CancellationToken cancellationToken)
    {
        var conditions = new PostgresConditions(filter, from ?? long.MinValue, to ?? long.MaxValue);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);

        // Only a cursor is compared as a row: a B-tree scan cannot tell that (ts, position) < (max, max) is looser than
        // ts <= to, starts from the row bound, and would walk every newer entry of the partition down to the range.
        var after = before is { } cursor ? $"AND (ts, position) < ({conditions.Next(cursor.Timestamp)}, {conditions.Next(cursor.Sequence)}) " : "";
        batch.BatchCommands.Add(conditions.Command(
            $"SELECT {PostgresRows.Columns} FROM eventtracker.events WHERE {conditions.Where} {after}"
            + $"ORDER BY ts DESC, position DESC LIMIT {conditions.Next(limit + 1)}"));
        batch.BatchCommands.Add(PostgresMatchCount.Command(filter, from ?? long.MinValue, to ?? long.MaxValue));

        // The earliest event lies in the earliest day the rollups count (written in the events' transactions, removed
        // with their partitions): bounded to that day, the minimum reads one partition, where min(ts) alone merged the
        // first entry of every partition's index.
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "SELECT event_count, (SELECT min(ts) FROM eventtracker.events WHERE ts < (SELECT min(bucket) FROM eventtracker.rollup_days) + "
            + $"{PostgresRollups.DayMs}), last_position, removed_count FROM eventtracker.feed"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var events = new List<EventRecord>(Math.Min(limit + 1, 1024));
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(PostgresRows.Read(reader));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var filtered = reader.GetInt64(0);
        var services = reader.IsDBNull(1) ? [] : reader.GetFieldValue<string[]>(1).Order(StringComparer.Ordinal).ToList();
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = reader.GetInt64(0);
        long? earliest = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        Observe(new FeedPosition(reader.GetInt64(2), reader.GetInt64(3)), total, evicted: null);

        var more = events.Count > limit;
        if (more)
        {
            events.RemoveAt(events.Count - 1);
        }

        return new EventPage(events, total, filtered, services, more && events.Count > 0 ? EventPosition.Of(events[^1]) : null, earliest);
    }

    private async Task<FeedPage> ReadFeedAsync(FeedPosition after, int maxChanges, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT removed_count, retained_from FROM eventtracker.feed"),
                PostgresSchema.BatchCommand(
                    // The one-time test against the feed row spares a follower that is up to date a probe of every partition.
                    $"SELECT {PostgresRows.Columns} FROM eventtracker.events WHERE position > $1 AND $1 < (SELECT last_position FROM eventtracker.feed) "
                    + "ORDER BY position LIMIT $2",
                    [after.Appended, maxChanges]),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var changes = new List<StoreChange>();
        await reader.ReadAsync(cancellationToken);
        var removals = reader.GetInt64(0);
        if (after.Removed < removals)
        {
            // Retention ran since this follower last read: one change says what is gone, whatever number of runs it was.
            changes.Add(StoreChange.RemovedBefore(reader.GetInt64(1)));
        }

        await reader.NextResultAsync(cancellationToken);
        var appended = after.Appended;
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = PostgresRows.Read(reader);
            changes.Add(StoreChange.Appended(record));
            appended = record.Sequence;
        }

        return new FeedPage(changes, new FeedPosition(appended, Math.Max(after.Removed, removals)));
    }

    public TimeSpan RollupBucketWidth => PostgresRollups.BucketWidth;

    public Task<StoredRollups> ReadRollupsAsync(long detailedFrom, CancellationToken cancellationToken) =>
        PostgresFailures.Guard(() => PostgresRollups.ReadAsync(_dataSource, detailedFrom, cancellationToken)).AsTask();

    public async IAsyncEnumerable<EventRecord> ReadLinkedAsync(
        long since, FeedPosition upTo, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT {PostgresRows.LinkColumns} FROM eventtracker.events WHERE ts >= @since AND position <= @upTo "
            + "AND (correlation_id IS NOT NULL OR session_id IS NOT NULL) ORDER BY position",
            connection);
        command.Parameters.AddWithValue("since", since);
        command.Parameters.AddWithValue("upTo", upTo.Appended);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return PostgresRows.ReadLink(reader);
        }
    }

    public async Task WaitForChangesAsync(FeedPosition after, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = _listener.Changed;
            if (LatestSeen.Appended > after.Appended || (await ReadHeadAsync(cancellationToken)).Appended > after.Appended)
            {
                return;
            }

            try
            {
                await changed.WaitAsync(PollInterval, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // No wake-up within the interval: look again (a notification can be lost with its connection).
            }
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        await _writer.DisposeAsync();
        await _listener.DisposeAsync();
        try
        {
            await _maintenance;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    /// <summary>Drops the days that ended before <see cref="EventStoreOptions.MaxAge"/> ago, if a maximum age is set (hourly, and for tests).</summary>
    internal async Task ApplyRetentionAsync(CancellationToken cancellationToken)
    {
        if (_maxAge is not { } maxAge)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var dropped = await PostgresRetention.ApplyAsync(connection, (_time.GetUtcNow() - maxAge).ToUnixTimeMilliseconds(), cancellationToken);
        if (dropped > 0)
        {
            LogRetained(_logger, dropped, maxAge);
        }

        await ReadFeedRowAsync(connection, cancellationToken);
        _listener.Signal();
    }

    private async Task<AppendOperation> EnqueueAsync(AppendOperation operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var reservation = _backlog.Take(operation);
        var pending = new PendingAppend(operation);
        if (!_writer.TryEnqueue(pending))
        {
            throw new StoreUnavailableException("The server is shutting down.");
        }

        // A cancelled caller stops waiting; the group it joined still commits (or fails) for the others in it.
        await pending.Completion.Task.WaitAsync(cancellationToken);
        return operation;
    }

    private async Task<FeedPosition> ReadFeedRowAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT last_position, event_count, removed_count, evicted_count FROM eventtracker.feed", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var head = new FeedPosition(reader.GetInt64(0), reader.GetInt64(2));
        Observe(head, reader.GetInt64(1), reader.GetInt64(3));
        return head;
    }

    // Reads and commits finish in any order; the counts of the newest feed position seen win.
    private void Observe(FeedPosition at, long held, long? evicted)
    {
        lock (_countsGate)
        {
            if (at.Reached(_counts.At))
            {
                _counts = (at, held, evicted ?? _counts.Evicted);
            }
        }
    }

    private Task EnsurePartitionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return PostgresPartitions.EnsureAsync(
            connection, (now - PartitionsBack).ToUnixTimeMilliseconds(), (now + PartitionsAhead).ToUnixTimeMilliseconds(), cancellationToken);
    }

    private async Task MaintainAsync()
    {
        var stopping = _stopping.Token;
        using var timer = new PeriodicTimer(MaintenanceInterval, _time);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stopping);
                await EnsurePartitionsAsync(connection, stopping);
                await ApplyRetentionAsync(stopping);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogMaintenanceFailed(_logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Event store: PostgreSQL at {Database} (schema version {Version}); feed at position {Position}, {Held} events held.")]
    private static partial void LogOpened(ILogger logger, string database, int version, long position, long held);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention dropped {Dropped} events of the days that ended more than {MaxAge} ago.")]
    private static partial void LogRetained(ILogger logger, long dropped, TimeSpan maxAge);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Creating the coming days' partitions or applying retention failed; the next hourly run tries again.")]
    private static partial void LogMaintenanceFailed(ILogger logger, Exception exception);
}

using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// Writes appends to the database in groups: whatever is waiting when the previous group commits (at most
/// <see cref="MaxGroupEvents"/> events) becomes one transaction — lock the feed row, look up replays, binary
/// <c>COPY</c> of the new rows, add them to the rollups, move the feed on, notify, commit — and only then are the callers
/// answered.
/// <para>
/// Locking the one feed row first serializes the group commits of every node: positions are taken and become
/// visible in the same order, so a follower reading "after n" can never see n + 2 before n + 1 commits (commit order
/// is position order), and a batch or client event id retried on any node is found by the lookup and stored once.
/// The lock is held only for the few milliseconds of one group.
/// </para>
/// </summary>
internal sealed partial class PostgresGroupWriter : IAsyncDisposable
{
    /// <summary>Most events written in one transaction.</summary>
    public const int MaxGroupEvents = 5_000;

    private static readonly string CopyEvents = $"COPY eventtracker.events ({PostgresRows.Columns}) FROM STDIN (FORMAT BINARY)";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<FeedPosition, long, IReadOnlyList<EventRecord>> _committed;
    private readonly Channel<PendingAppend> _queue = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private long _lastArrival;

    /// <param name="dataSource">The database.</param>
    /// <param name="time">The clock that stamps arrivals.</param>
    /// <param name="logger">Where failed groups are reported.</param>
    /// <param name="committed">Told the feed's end, the number of events held and the events stored after each commit.</param>
    public PostgresGroupWriter(
        NpgsqlDataSource dataSource, TimeProvider time, ILogger logger, Action<FeedPosition, long, IReadOnlyList<EventRecord>> committed)
    {
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        _committed = committed;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>For tests: awaited inside each group's transaction just before it commits, with the positions it took.</summary>
    internal Func<long, long, Task>? BeforeCommit { get; set; }

    public bool TryEnqueue(PendingAppend pending) => _queue.Writer.TryWrite(pending);

    /// <summary>Takes no more appends and waits for the queued ones to be written (or refused).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var group = new List<PendingAppend>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            var events = 0;
            while (events < MaxGroupEvents && reader.TryRead(out var pending))
            {
                group.Add(pending);
                events += Math.Max(1, pending.Operation.Events.Count);
            }

            try
            {
                await CommitAsync(group).ConfigureAwait(false);
                group.ForEach(p => p.Completion.TrySetResult());
            }
            catch (Exception exception)
            {
                LogGroupFailed(_logger, group.Count, exception);
                var refusal = new StoreUnavailableException("The database cannot take writes now; nothing was stored. Retry shortly.", exception)
                {
                    RetryAfter = PostgresFailures.RetryAfter,
                };
                group.ForEach(p => p.Completion.TrySetException(refusal));
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> group)
    {
        var operations = group.Select(p => p.Operation).ToList();
        await using var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
        long last;
        await using (var lockFeed = new NpgsqlCommand("SELECT last_position FROM eventtracker.feed FOR UPDATE", connection))
        {
            last = (long)(await lockFeed.ExecuteScalarAsync().ConfigureAwait(false))!;
        }

        var lookup = await PostgresReplayLookup.LoadAsync(connection, operations, CancellationToken.None).ConfigureAwait(false);
        var next = last + 1;
        AppendPlanner.Plan(operations, lookup, _time.GetUtcNow().ToUnixTimeMilliseconds(), ref next, ref _lastArrival);
        var records = new List<EventRecord>();
        foreach (var operation in operations.Where(o => o.ReplayedBatch is null))
        {
            for (var i = 0; i < operation.ToStore.Count; i++)
            {
                var record = ToRecord(operation.ToStore[i], operation.FirstSequence + i, operation.Timestamp);
                operation.Stored.Add(record);
                records.Add(record);
            }
        }

        if (records.Count > 0)
        {
            await WriteEventsAsync(connection, records).ConfigureAwait(false);
        }

        // The feed's move first, so that its answer is the first result; the rollups and the batch receipts ride in the same round trip.
        await using var finish = new NpgsqlBatch(connection);
        finish.BatchCommands.Add(PostgresSchema.BatchCommand(
            "UPDATE eventtracker.feed SET last_position = $1, event_count = event_count + $2 RETURNING event_count, removed_count", [next - 1, (long)records.Count]));
        finish.BatchCommands.Add(PostgresSchema.BatchCommand($"SELECT pg_notify('{PostgresSchema.FeedChannel}', $1::text)", [next - 1]));
        foreach (var command in (records.Count > 0 ? PostgresRollups.Commands(records) : []).Concat(BatchReceipts(operations)))
        {
            finish.BatchCommands.Add(command);
        }

        long held, removals;
        await using (var moved = await finish.ExecuteReaderAsync().ConfigureAwait(false))
        {
            await moved.ReadAsync().ConfigureAwait(false);
            (held, removals) = (moved.GetInt64(0), moved.GetInt64(1));
            while (await moved.NextResultAsync().ConfigureAwait(false))
            {
                // Reading on surfaces an error in any later statement here, before the commit.
            }
        }

        if (BeforeCommit is { } beforeCommit)
        {
            await beforeCommit(last + 1, next - 1).ConfigureAwait(false);
        }

        await transaction.CommitAsync().ConfigureAwait(false);
        _committed(new FeedPosition(next - 1, removals), held, records);
    }

    private static async Task WriteEventsAsync(NpgsqlConnection connection, List<EventRecord> records)
    {
        await using (var copy = await connection.BeginBinaryImportAsync(CopyEvents).ConfigureAwait(false))
        {
            foreach (var record in records)
            {
                await PostgresRows.WriteAsync(copy, record, CancellationToken.None).ConfigureAwait(false);
            }

            await copy.CompleteAsync().ConfigureAwait(false);
        }

        var identified = records.Where(r => r.ClientEventId is not null).ToList();
        if (identified.Count == 0)
        {
            // Even an empty COPY is a round trip under the feed lock.
            return;
        }

        await using var ids = await connection.BeginBinaryImportAsync(
            "COPY eventtracker.client_events (client_event_id, position, ts) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false);
        foreach (var record in identified)
        {
            await ids.StartRowAsync().ConfigureAwait(false);
            await ids.WriteAsync(record.ClientEventId, NpgsqlDbType.Text).ConfigureAwait(false);
            await ids.WriteAsync(record.Sequence, NpgsqlDbType.Bigint).ConfigureAwait(false);
            await ids.WriteAsync(record.Timestamp, NpgsqlDbType.Bigint).ConfigureAwait(false);
        }

        await ids.CompleteAsync().ConfigureAwait(false);
    }

    private static IEnumerable<NpgsqlBatchCommand> BatchReceipts(List<AppendOperation> operations)
    {
        var batches = operations.Where(o => o.BatchId is not null && o.ReplayedBatch is null).ToList();
        if (batches.Count > 0)
        {
            yield return PostgresSchema.BatchCommand(
                "INSERT INTO eventtracker.batches (batch_id, processed_count, received_at) SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])",
                [batches.Select(b => b.BatchId!).ToArray(), batches.Select(b => b.ToStore.Count).ToArray(), batches.Select(b => b.Timestamp).ToArray()]);
        }
    }

    /// <summary>The row an event becomes at <paramref name="position"/>, received at <paramref name="receivedAt"/>.</summary>
    internal static EventRecord ToRecord(NewEvent newEvent, long position, long receivedAt) => new()
    {
        Sequence = position,
        Timestamp = newEvent.OccurredAt ?? receivedAt,
        ReceivedAt = receivedAt,
        Name = newEvent.Name,
        ServiceName = newEvent.ServiceName,
        UserId = newEvent.UserId,
        SessionId = newEvent.SessionId,
        CorrelationId = newEvent.CorrelationId,
        StatusCode = newEvent.StatusCode,
        ResponseTimeMs = newEvent.ResponseTimeMs,
        ClientEventId = newEvent.ClientEventId,
        Text = newEvent.UserAgent is null && newEvent.Referrer is null && newEvent.UserRole is null
            ? null
            : new TextColumns(newEvent.UserAgent, newEvent.Referrer, newEvent.UserRole),
        PayloadJson = newEvent.PayloadJson,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing a group of {Count} appends to the database failed; they were refused (503) and their clients retry.")]
    private static partial void LogGroupFailed(ILogger logger, int count, Exception exception);
}

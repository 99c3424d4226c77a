using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Postgres;
using EventTracker.Server.Streams;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventTracker.Server.Insights;

/// <summary>
/// Insight episodes in the database, for several nodes. An evaluation, on whichever node, holds a transaction-scoped
/// advisory lock (the lease) from reading the open episodes to recording what it changed, so evaluations of all nodes
/// take turns and each continues the episodes the one before left: an episode is recorded once, under one id. Every
/// node follows the recorded episodes by change number (woken by <c>NOTIFY</c>, polling every second), answers queries
/// from them, and pushes each episode opened since it started to its own stream readers once.
/// </summary>
internal sealed partial class PostgresInsightLedger : IInsightLedger, IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly EventBroadcaster _broadcaster;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _historySize;
    private readonly PostgresFeedListener _listener;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, AIInsight> _recorded = new(StringComparer.Ordinal);
    private readonly Task _following;
    private Turn? _turn;
    private long _change = -1;
    private long _pushFrom;

    public PostgresInsightLedger(
        NpgsqlDataSource dataSource, EventBroadcaster broadcaster, TimeProvider time, IOptions<InsightOptions> options, ILogger<PostgresInsightLedger> logger)
    {
        _dataSource = dataSource;
        _broadcaster = broadcaster;
        _time = time;
        _logger = logger;
        _historySize = options.Value.History;
        _listener = new PostgresFeedListener(dataSource, PostgresSchema.InsightChannel, time, logger);
        _following = Task.Run(FollowAsync);
    }

    public async ValueTask<InsightLead> LeadAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = null;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await PostgresSchema.Execute(connection, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("key", PostgresSchema.InsightLease));
            var open = await ReadOpenAsync(connection, cancellationToken);
            _turn = new Turn(connection, transaction);
            return new InsightLead(Leading: true, open, _turn);
        }
        catch (Exception e) when (PostgresFailures.IsUnavailable(e))
        {
            // The record cannot be reached: answer from what this node last read, and let the next evaluation try again.
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            return new InsightLead(Leading: false);
        }
    }

    public string NewEpisodeId(string type) => $"ins-{Guid.CreateVersion7():N}-{type}";

    public async ValueTask RecordAsync(IReadOnlyList<RecordedEpisode> changed, IReadOnlyList<AIInsight> opened, CancellationToken cancellationToken)
    {
        if (_turn is not { } turn)
        {
            return;
        }

        _turn = null;

        await using var command = new NpgsqlCommand(
            "INSERT INTO eventtracker.insights (id, episode_key, opened_change, change, open, severity, plan_width, plan_end, plan_windows, body) "
            + "SELECT id, episode_key, n, n, open, severity, plan_width, plan_end, plan_windows, body FROM ("
            + "  SELECT *, nextval('eventtracker.insight_changes') AS n "
            + "  FROM unnest(@ids, @keys, @open, @severity, @widths, @ends, @windows, @bodies) "
            + "  AS t(id, episode_key, open, severity, plan_width, plan_end, plan_windows, body)) s "
            + "ON CONFLICT (id) DO UPDATE SET change = excluded.change, open = excluded.open, severity = excluded.severity, "
            + "plan_width = excluded.plan_width, plan_end = excluded.plan_end, plan_windows = excluded.plan_windows, body = excluded.body; "
            + $"NOTIFY {PostgresSchema.InsightChannel}",
            turn.Connection);
        command.Parameters.AddWithValue("ids", changed.Select(c => c.Insight.Id).ToArray());
        command.Parameters.AddWithValue("keys", changed.Select(c => c.Detection.Key).ToArray());
        command.Parameters.AddWithValue("open", changed.Select(c => c.Insight.Open).ToArray());
        command.Parameters.AddWithValue("severity", changed.Select(c => c.Detection.Severity).ToArray());
        command.Parameters.AddWithValue("widths", changed.Select(c => c.Detection.Plan?.Width).ToArray());
        command.Parameters.AddWithValue("ends", changed.Select(c => c.Detection.Plan?.BaselineEnd).ToArray());
        command.Parameters.AddWithValue("windows", changed.Select(c => c.Detection.Plan?.Windows).ToArray());
        command.Parameters.Add(new NpgsqlParameter("bodies", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb)
        {
            Value = changed.Select(c => JsonSerializer.Serialize(c.Insight, EventTrackerJsonContext.Default.AIInsight)).ToArray(),
        });
        try
        {
            if (changed.Count > 0)
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await turn.Transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (PostgresFailures.IsUnavailable(e))
        {
            LogRecordFailed(_logger, changed.Count, e);
            return;
        }

        await RefreshAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyList<AIInsight>?> ReadHistoryAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        lock (_recorded)
        {
            return [.. _recorded.Values];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _following;
        }
        catch (OperationCanceledException)
        {
        }

        await _listener.DisposeAsync();

        _stopping.Dispose();
        _refreshing.Dispose();
    }

    private async Task FollowAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            var changed = _listener.Changed;
            try
            {
                await RefreshAsync(stopping);
            }
            catch (StoreUnavailableException)
            {
                // The database is away; the next round tries again.
            }

            try
            {
                await changed.WaitAsync(PollInterval, _time, stopping);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    // Reads the episodes recorded since the last read; those opened after this node started are pushed to its readers.
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refreshing.WaitAsync(cancellationToken);
        try
        {
            await PostgresFailures.Guard(async () =>
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                if (_change < 0)
                {
                    await using var start = new NpgsqlCommand("SELECT coalesce(max(change), 0) FROM eventtracker.insights", connection);
                    _pushFrom = (long)(await start.ExecuteScalarAsync(cancellationToken))!;
                    _change = 0;
                }

                await using var command = new NpgsqlCommand(
                    "SELECT opened_change, change, body FROM eventtracker.insights WHERE change > @after ORDER BY change", connection);
                command.Parameters.AddWithValue("after", _change);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var insight = JsonSerializer.Deserialize(reader.GetString(2), EventTrackerJsonContext.Default.AIInsight)!;
                    Keep(insight);
                    _change = reader.GetInt64(1);
                    if (reader.GetInt64(0) == _change && _change > _pushFrom)
                    {
                        _broadcaster.PublishAbout(insight.ServiceName, Envelope.Serialize(StreamMessageTypes.Insight, insight, EventTrackerJsonContext.Default.AIInsight));
                    }
                }

                return true;
            });
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private void Keep(AIInsight insight)
    {
        lock (_recorded)
        {
            _recorded[insight.Id] = insight;
            if (_recorded.Count > _historySize)
            {
                foreach (var oldest in _recorded.Values.Where(i => !i.Open).OrderBy(i => i.DetectedAt).Take(_recorded.Count - _historySize).ToList())
                {
                    _recorded.Remove(oldest.Id);
                }
            }
        }
    }

    private static async Task<IReadOnlyList<RecordedEpisode>> ReadOpenAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT episode_key, severity, plan_width, plan_end, plan_windows, body FROM eventtracker.insights WHERE open", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var open = new List<RecordedEpisode>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var insight = JsonSerializer.Deserialize(reader.GetString(5), EventTrackerJsonContext.Default.AIInsight)!;
            BaselinePlan? plan = reader.IsDBNull(2) ? null : new BaselinePlan(reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4));
            var detection = new Detection(
                reader.GetString(0), insight.Type, insight.ServiceName, insight.Title, insight.Description, insight.Recommendations,
                reader.GetDouble(1), insight.Confidence, insight.Evidence, plan);
            open.Add(new RecordedEpisode(detection, insight));
        }

        return open;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Count} insight episodes failed; the next evaluation starts again from those recorded.")]
    private static partial void LogRecordFailed(ILogger logger, int count, Exception exception);

    /// <summary>One evaluation's turn: its connection and the transaction that holds the lease until it ends.</summary>
    private sealed class Turn(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public NpgsqlConnection Connection { get; } = connection;

        public NpgsqlTransaction Transaction { get; } = transaction;

        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }
}

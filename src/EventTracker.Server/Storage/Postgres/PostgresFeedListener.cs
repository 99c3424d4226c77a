using Npgsql;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// Wakes this node's followers when any node commits: one connection <c>LISTEN</c>s on a channel
/// (<see cref="PostgresSchema.FeedChannel"/> for events). A notification is only a wake-up (NOTIFY is neither durable nor large):
/// followers then read the feed by position, and poll once a second anyway, so a lost connection or notification
/// delays them but never loses a change.
/// </summary>
internal sealed partial class PostgresFeedListener : IAsyncDisposable
{
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresFeedListener(NpgsqlDataSource dataSource, string channel, TimeProvider time, ILogger logger)
    {
        _dataSource = dataSource;
        _channel = channel;
        _time = time;
        _logger = logger;
        _loop = Task.Run(ListenAsync);
    }

    /// <summary>Completes at the next wake-up (a notification, or <see cref="Signal"/>).</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>Wakes every waiter now: this node committed.</summary>
    public void Signal()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task ListenAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(stopping).ConfigureAwait(false);
                connection.Notification += (_, _) => Signal();
                await PostgresSchema.Execute(connection, $"LISTEN {_channel}", stopping).ConfigureAwait(false);
                Signal(); // whatever was committed while not listening
                while (true)
                {
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogListenFailed(_logger, exception);
                await Task.Delay(Reconnect, _time, stopping).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for other nodes' appends failed; followers poll until the connection is back.")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);
}

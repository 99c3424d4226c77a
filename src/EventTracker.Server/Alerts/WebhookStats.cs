namespace EventTracker.Server.Alerts;

/// <summary>How one webhook's messages went: delivered, failed (given up after retries), dropped (queue full), and the last error.</summary>
internal sealed class WebhookStats
{
    private readonly Lock _gate = new();
    private long _delivered;
    private long _failed;
    private long _dropped;
    private long _failedInARow;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _lastDeliveredAt;

    public WebhookSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new WebhookSnapshot(_delivered, _failed, _dropped, _failedInARow > 0, _lastError, _lastErrorAt, _lastDeliveredAt);
        }
    }

    /// <summary>Counts a delivery; answers how many failures in a row it ends (0 when the webhook was not failing).</summary>
    public long Delivered(DateTimeOffset at)
    {
        lock (_gate)
        {
            _delivered++;
            _lastDeliveredAt = at;
            var ended = _failedInARow;
            _failedInARow = 0;
            return ended;
        }
    }

    /// <summary>Counts a message given up; answers whether it is the first failure since the last delivery.</summary>
    public bool Failed(string error, DateTimeOffset at)
    {
        lock (_gate)
        {
            _failed++;
            _lastError = error;
            _lastErrorAt = at;
            return ++_failedInARow == 1;
        }
    }

    public void Dropped()
    {
        lock (_gate)
        {
            _dropped++;
        }
    }
}

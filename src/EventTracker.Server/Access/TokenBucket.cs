using System.Threading.RateLimiting;

namespace EventTracker.Server.Access;

/// <summary>
/// A token bucket on a <see cref="TimeProvider"/>, so limits are testable on a fake clock (the platform's
/// <see cref="TokenBucketRateLimiter"/> reads the real clock). A request of more permits than the bucket holds is
/// admitted when the bucket is full and leaves it in debt, so a large batch is slowed down, never refused forever.
/// Refused leases carry <see cref="MetadataName.RetryAfter"/>.
/// </summary>
internal sealed class TokenBucket : ReplenishingRateLimiter
{
    private readonly Lock _gate = new();
    private readonly double _perSecond;
    private readonly int _size;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _lastRefill;
    private long? _fullSince;

    public TokenBucket(double perSecond, int size, TimeProvider time)
    {
        _perSecond = perSecond;
        _size = size;
        _time = time;
        _tokens = size;
        _lastRefill = time.GetTimestamp();
        _fullSince = _lastRefill;
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _fullSince is { } since ? _time.GetElapsedTime(since) : null;
            }
        }
    }

    public override bool IsAutoReplenishing => false;

    public override TimeSpan ReplenishmentPeriod => TimeSpan.FromSeconds(1);

    public override bool TryReplenish()
    {
        lock (_gate)
        {
            Refill();
        }

        return true;
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)Math.Floor(Math.Max(0, _tokens)) };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            Refill();
            var needed = Math.Min(permitCount, _size);
            if (_tokens >= needed)
            {
                _tokens -= permitCount;
                _fullSince = null;
                return Lease.Acquired;
            }

            return Lease.Refused(TimeSpan.FromSeconds((needed - _tokens) / _perSecond));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_size, _tokens + (_time.GetElapsedTime(_lastRefill, now).TotalSeconds * _perSecond));
        _lastRefill = now;
        if (_tokens >= _size)
        {
            _fullSince ??= now;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public static Lease Refused(TimeSpan retryAfter) => new(false, retryAfter);

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}

using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Access;

/// <summary>
/// The event rate limit, partitioned by sender (see <see cref="Sender"/>): the ingestion endpoints take a batch's
/// events from it at once, so a batch of n costs n. Reads have their own limit, <see cref="ReadRateLimitPolicy"/>.
/// </summary>
internal sealed class EventRateLimit : IDisposable
{
    // Null with no limit configured: even a no-limit partition is looked up under the limiter's lock, which 64
    // concurrent single-event requests contend for; a disabled limit should cost nothing.
    private readonly PartitionedRateLimiter<HttpContext>? _events;

    public EventRateLimit(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        if (settings.EventsPerSecond > 0)
        {
            _events = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.Get(Sender(context), _ => new TokenBucket(settings.EventsPerSecond, settings.EventBurst, time)));
        }
    }

    /// <summary>Takes <paramref name="count"/> events from the sender's budget; when refused, says when to try again.</summary>
    public bool TryTakeEvents(HttpContext context, int count, out TimeSpan retryAfter)
    {
        if (_events is null)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }

        using var lease = _events.AttemptAcquire(context, count);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _events?.Dispose();

    /// <summary>Whose budget a request spends: its API key's, or its client IP address's when anonymous.</summary>
    public static string Sender(HttpContext context) =>
        context.GetApiKey() is { } key ? "key:" + key.Name : "ip:" + context.Connection.RemoteIpAddress;
}

using System.Threading.RateLimiting;
using EventTracker.Server.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Access;

/// <summary>The read limit on the ASP.NET Core rate limiting middleware: one permit per request, per sender; refusals are 429 problems with <c>Retry-After</c>.</summary>
internal sealed class ReadRateLimitPolicy(IOptions<RateLimitOptions> options, TimeProvider time) : IRateLimiterPolicy<string>
{
    /// <summary>The policy's name on read endpoints.</summary>
    public const string Name = "reads";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => static async (rejected, _) =>
    {
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        await Problems.TooManyRequests(rejected.HttpContext.Response, "rate", $"Too many read requests; retry in {Problems.RetryAfterSeconds(wait)} s.", wait)
            .ExecuteAsync(rejected.HttpContext);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var settings = options.Value;
        return settings.ReadsPerSecond <= 0
            ? RateLimitPartition.GetNoLimiter(string.Empty)
            : RateLimitPartition.Get(EventRateLimit.Sender(httpContext), _ => new TokenBucket(settings.ReadsPerSecond, settings.ReadBurst, time));
    }
}

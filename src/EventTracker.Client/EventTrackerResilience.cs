using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace EventTracker.Client;

/// <summary>
/// The client's resilience pipeline (Polly v8 through Microsoft.Extensions.Http.Resilience): a total timeout, retries
/// with exponential back-off and jitter on network errors, 408, 429 and 5xx that honour <c>Retry-After</c>, and a
/// per-attempt timeout. Other 4xx are not retried.
/// </summary>
internal static class EventTrackerResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, EventTrackerClientOptions options)
    {
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.TotalTimeout, Name = "EventTracker.TotalTimeout" });
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "EventTracker.Retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.AttemptTimeout, Name = "EventTracker.AttemptTimeout" });
    }

    /// <summary>A handler chain for a client made without dependency injection.</summary>
    public static HttpMessageHandler CreateHandler(EventTrackerClientOptions options)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        Configure(builder, options);
        return new ResilienceHandler(builder.Build()) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } };
    }
}

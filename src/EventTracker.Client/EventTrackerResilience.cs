using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Telemetry;

namespace EventTracker.Client;

/// <summary>
/// The client's resilience pipeline (Polly v8 through Microsoft.Extensions.Http.Resilience): a total timeout, retries
/// with exponential back-off and jitter on network errors, 408, 429 and 5xx that honour <c>Retry-After</c>, and a
/// per-attempt timeout. Other 4xx are not retried. A retry is logged at Debug, not as a warning per attempt: the
/// background tracker reports an outage once when it starts and once when it ends.
/// </summary>
internal static class EventTrackerResilience
{
    private static readonly string[] QuietEvents = ["OnRetry", "ExecutionAttempt"];

    // Set on the requests of callers that retry themselves (the background sender), so a failure costs one request,
    // not one per pipeline retry inside each of theirs.
    private static readonly ResiliencePropertyKey<bool> NoRetryKey = new("EventTracker.NoRetry");

    /// <summary>
    /// Marks <paramref name="request"/> to be tried once by the pipeline; dispose the result when the request is done
    /// (it returns the resilience context to its pool).
    /// </summary>
    public static IDisposable SingleAttempt(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(NoRetryKey, true);
        request.SetResilienceContext(context);
        return new PooledContext(context);
    }

    /// <param name="builder">The pipeline being built.</param>
    /// <param name="options">The client's options.</param>
    /// <param name="loggerFactory">Where the pipeline's own telemetry goes, when it has any (with dependency injection).</param>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, EventTrackerClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        if (loggerFactory is not null)
        {
            builder.ConfigureTelemetry(new TelemetryOptions
            {
                LoggerFactory = loggerFactory,
                SeverityProvider = args => QuietEvents.Contains(args.Event.EventName) ? ResilienceEventSeverity.Debug : args.Event.Severity,
            });
        }

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
                ShouldHandle = args => new ValueTask<bool>(
                    !args.Context.Properties.GetValue(NoRetryKey, false) && TransientFailure.Is(args.Outcome)),
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.AttemptTimeout, Name = "EventTracker.AttemptTimeout" });
    }

    /// <summary>A handler chain for a client made without dependency injection.</summary>
    public static HttpMessageHandler CreateHandler(EventTrackerClientOptions options)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        Configure(builder, options);
#if NETSTANDARD2_0
        return new ResilienceHandler(builder.Build()) { InnerHandler = new HttpClientHandler() };
#else
        return new ResilienceHandler(builder.Build()) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } };
#endif
    }

    private sealed class PooledContext(ResilienceContext context) : IDisposable
    {
        public void Dispose() => ResilienceContextPool.Shared.Return(context);
    }
}

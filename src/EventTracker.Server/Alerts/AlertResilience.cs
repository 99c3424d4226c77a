using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Telemetry;

namespace EventTracker.Server.Alerts;

/// <summary>
/// The webhook client's pipeline (Polly v8 through Microsoft.Extensions.Http.Resilience): retries on connection
/// errors, timeouts, 408, 429 and 5xx with exponential back-off and jitter from <see cref="AlertOptions.RetryBaseDelay"/>,
/// honouring <c>Retry-After</c> up to <see cref="AlertOptions.MaxRetryDelay"/>, for at most
/// <see cref="AlertOptions.MaxAttempts"/> attempts of <see cref="AlertOptions.AttemptTimeout"/> each. Other 4xx are
/// not retried. Waits run on the host's <see cref="TimeProvider"/>.
/// </summary>
internal static class AlertResilience
{
    // The sender logs a failing webhook once; Polly's own warning per retry would repeat it every few seconds.
    private static readonly string[] QuietEvents = ["OnRetry", "ExecutionAttempt", "OnTimeout"];

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, AlertOptions options, ILoggerFactory loggerFactory)
    {
        builder.ConfigureTelemetry(new TelemetryOptions
        {
            LoggerFactory = loggerFactory,
            SeverityProvider = args => QuietEvents.Contains(args.Event.EventName) ? ResilienceEventSeverity.Debug : args.Event.Severity,
        });
        if (options.MaxAttempts > 1)
        {
            var retry = new HttpRetryStrategyOptions
            {
                Name = "EventTracker.Alerts.Retry",
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
            };

            // A receiver's Retry-After of an hour would hold every other webhook's messages up behind this one.
            var retryAfter = retry.DelayGenerator!;
            retry.DelayGenerator = async args => await retryAfter(args) is { } wait ? TimeSpan.FromTicks(Math.Min(wait.Ticks, options.MaxRetryDelay.Ticks)) : null;
            builder.AddRetry(retry);
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "EventTracker.Alerts.AttemptTimeout", Timeout = options.AttemptTimeout });
    }
}

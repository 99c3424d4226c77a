using EventTracker.Server.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventTracker.Server.Hosting;

/// <summary><c>/healthz</c> is healthy while the store answers: with PostgreSQL, while the database does.</summary>
internal sealed class StoreHealthCheck(IEventStore store) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await store.ReadHeadAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is StoreUnavailableException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return HealthCheckResult.Unhealthy("The event store does not answer.", e);
        }
    }
}

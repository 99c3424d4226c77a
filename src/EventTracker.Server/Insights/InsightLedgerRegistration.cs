using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Insights;

/// <summary>Registers the <see cref="IInsightLedger"/> that goes with the store: shared in the database with PostgreSQL, else local.</summary>
internal static class InsightLedgerRegistration
{
    public static IServiceCollection AddInsightLedger(this IServiceCollection services) =>
        services.AddSingleton<IInsightLedger>(provider =>
            provider.GetRequiredService<IOptions<EventStoreOptions>>().Value.Provider == StoreProvider.PostgreSQL
                ? ActivatorUtilities.CreateInstance<PostgresInsightLedger>(provider)
                : ActivatorUtilities.CreateInstance<LocalInsightLedger>(provider));
}

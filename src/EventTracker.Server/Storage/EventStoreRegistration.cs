using System.Data.Common;
using EventTracker.Server.Storage.Durable;
using EventTracker.Server.Storage.Postgres;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventTracker.Server.Storage;

/// <summary>Registers the <see cref="IEventStore"/> that <see cref="EventStoreOptions.Provider"/> names.</summary>
internal static partial class EventStoreRegistration
{
    public static IServiceCollection AddEventStore(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddSingleton(_ => OpenDatabase(configuration)) // resolved only with the PostgreSQL provider
            .AddSingleton<IEventStore>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<EventStoreOptions>>().Value;
            return options.Provider switch
            {
                StoreProvider.PostgreSQL => ActivatorUtilities.CreateInstance<PostgresEventStore>(provider),
                StoreProvider.Embedded when options.IsDurable => ActivatorUtilities.CreateInstance<DurableEventStore>(provider),
                _ => OpenMemory(provider, options),
            };
        });

    private static InMemoryEventStore OpenMemory(IServiceProvider provider, EventStoreOptions options)
    {
        LogMemoryOnly(provider.GetRequiredService<ILogger<InMemoryEventStore>>(), options.Capacity);
        return ActivatorUtilities.CreateInstance<InMemoryEventStore>(provider);
    }

    private static NpgsqlDataSource OpenDatabase(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(EventStoreOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StoreUnavailableException(
                $"The PostgreSQL store needs a connection string: set ConnectionStrings:{EventStoreOptions.ConnectionStringName} "
                + $"(for example the environment variable ConnectionStrings__{EventStoreOptions.ConnectionStringName}=\"Host=localhost;Database=eventtracker;Username=eventtracker\").");
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>().Any(IsAutoPrepare))
            {
                // The store runs a handful of statements over a partitioned table again and again: planning them once
                // per connection instead of per call is most of a feed read's cost.
                builder.MaxAutoPrepare = 32;
            }

            return NpgsqlDataSource.Create(builder);
        }
        catch (ArgumentException e)
        {
            throw new StoreUnavailableException($"ConnectionStrings:{EventStoreOptions.ConnectionStringName} is not a valid PostgreSQL connection string: {e.Message}", e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event store: memory only — events are gone when the server stops, and at most {Capacity} are held (the oldest are evicted first).")]
    private static partial void LogMemoryOnly(ILogger logger, int capacity);

    private static bool IsAutoPrepare(string key) =>
        key.Replace(" ", string.Empty, StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase);
}

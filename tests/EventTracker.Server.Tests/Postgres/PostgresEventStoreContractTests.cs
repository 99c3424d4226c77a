using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Postgres;
using EventTracker.Server.Tests.Storage;
using EventTracker.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>The store contract against a fresh database per test.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresEventStoreContractTests(PostgresCluster cluster) : EventStoreContract
{
    private readonly NpgsqlDataSource _database = NpgsqlDataSource.Create(cluster.CreateDatabase());

    protected override bool IsDurable => true;

    internal override IEventStore Open(EventStoreOptions options) =>
        new PostgresEventStore(_database, Options.Create(options), Time, NullLogger<PostgresEventStore>.Instance);

    protected override void CleanUp() => _database.Dispose();
}

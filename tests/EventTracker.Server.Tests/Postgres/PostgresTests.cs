using EventTracker.Testing;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>The tests that share one <see cref="PostgresCluster"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL";
}

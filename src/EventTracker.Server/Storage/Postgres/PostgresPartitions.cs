using System.Globalization;
using Npgsql;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// The events table is range-partitioned by event time, one partition per UTC day, created ahead of the times
/// ingestion accepts (so the default partition stays empty and a new day never has to be split out of it).
/// </summary>
internal static class PostgresPartitions
{
    private const long DayMs = 86_400_000;

    /// <summary>Creates the daily partitions covering [<paramref name="from"/>, <paramref name="to"/>] (ms since the epoch) that do not exist yet.</summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, long from, long to, CancellationToken cancellationToken)
    {
        await PostgresSchema.Execute(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", PostgresSchema.MaintenanceLock));
        try
        {
            for (var day = Math.Floor((double)from / DayMs) * DayMs; day <= to; day += DayMs)
            {
                var start = (long)day;
                var name = "events_" + DateTimeOffset.FromUnixTimeMilliseconds(start).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
                await PostgresSchema.Execute(
                    connection,
                    $"CREATE TABLE IF NOT EXISTS eventtracker.{name} PARTITION OF eventtracker.events FOR VALUES FROM ({start}) TO ({start + DayMs})",
                    cancellationToken);
            }
        }
        finally
        {
            await PostgresSchema.Execute(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", PostgresSchema.MaintenanceLock));
        }
    }
}

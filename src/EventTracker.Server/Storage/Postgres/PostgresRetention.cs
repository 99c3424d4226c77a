using System.Globalization;
using Npgsql;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// Retention by whole days: the daily partitions that ended before the oldest time kept are dropped, with the client
/// ids and rollups of their events, in one transaction that holds the feed row (so no group commit runs beside it),
/// moves the feed's <c>retained_from</c> on and counts a removal, which followers read as one
/// <see cref="StoreChangeKind.RemovedBefore"/> change.
/// </summary>
internal static class PostgresRetention
{
    private const long DayMs = 86_400_000;

    /// <summary>Drops what ended before <paramref name="oldestKept"/> (ms since the epoch), to the day; returns the events dropped.</summary>
    public static async Task<long> ApplyAsync(NpgsqlConnection connection, long oldestKept, CancellationToken cancellationToken)
    {
        var bound = (long)Math.Floor((double)oldestKept / DayMs) * DayMs;
        var expired = (await PartitionsAsync(connection, cancellationToken)).Where(p => p.End <= bound).ToList();
        await PostgresSchema.Execute(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", PostgresSchema.MaintenanceLock));
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockFeed = new NpgsqlCommand("SELECT retained_from FROM eventtracker.feed FOR UPDATE", connection))
            {
                if ((long)(await lockFeed.ExecuteScalarAsync(cancellationToken))! >= bound)
                {
                    return 0;
                }
            }

            long dropped = 0;
            foreach (var (name, _) in expired)
            {
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM eventtracker.{name}", connection);
                dropped += (long)(await count.ExecuteScalarAsync(cancellationToken))!;
                await PostgresSchema.Execute(connection, $"DROP TABLE eventtracker.{name}", cancellationToken);
            }

            await using (var rest = new NpgsqlCommand(
                "WITH gone AS (DELETE FROM eventtracker.events_default WHERE ts < @bound RETURNING 1) SELECT count(*) FROM gone", connection))
            {
                rest.Parameters.AddWithValue("bound", bound);
                dropped += (long)(await rest.ExecuteScalarAsync(cancellationToken))!;
            }

            await PostgresSchema.Execute(
                connection,
                "DELETE FROM eventtracker.client_events WHERE ts < @bound; "
                + "DELETE FROM eventtracker.batches WHERE received_at < @bound; "
                + "DELETE FROM eventtracker.rollup_names WHERE bucket < @bound; "
                + "DELETE FROM eventtracker.rollup_hours WHERE bucket < @bound; "
                + "DELETE FROM eventtracker.rollup_days WHERE bucket < @bound; "
                + "DELETE FROM eventtracker.rollup_services WHERE bucket < @bound; "
                + "DELETE FROM eventtracker.rollup_latency WHERE bucket < @bound; "
                + "UPDATE eventtracker.feed SET retained_from = @bound, removed_count = removed_count + 1, "
                + "event_count = event_count - @dropped, evicted_count = evicted_count + @dropped; "
                + $"NOTIFY {PostgresSchema.FeedChannel}",
                cancellationToken,
                ("bound", bound),
                ("dropped", dropped));
            await transaction.CommitAsync(cancellationToken);
            return dropped;
        }
        finally
        {
            await PostgresSchema.Execute(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", PostgresSchema.MaintenanceLock));
        }
    }

    /// <summary>The daily partitions, by name, with the end of their day.</summary>
    private static async Task<List<(string Name, long End)>> PartitionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
            + "JOIN pg_namespace n ON n.oid = p.relnamespace WHERE n.nspname = 'eventtracker' AND p.relname = 'events'",
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var partitions = new List<(string, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (DateTimeOffset.TryParseExact(name.Replace("events_", string.Empty, StringComparison.Ordinal), "yyyyMMdd", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out var day))
            {
                partitions.Add((name, day.ToUnixTimeMilliseconds() + DayMs));
            }
        }

        return partitions;
    }
}

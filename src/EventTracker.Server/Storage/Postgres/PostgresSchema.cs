using Npgsql;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// The database layout, created and migrated at start: each migration runs once, in order, recorded in
/// <c>eventtracker.schema_version</c>, under an advisory lock so that nodes starting together wait for one another
/// instead of racing.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory lock held while migrating or creating partitions (any value unique to this schema).</summary>
    public const long MaintenanceLock = 0x4576_5472_6B72_0001;

    /// <summary>The channel the writers notify after each commit, with the newest position as payload.</summary>
    public const string FeedChannel = "eventtracker_feed";

    /// <summary>The channel the insight evaluator notifies after recording episodes.</summary>
    public const string InsightChannel = "eventtracker_insights";

    /// <summary>The advisory lock whose holder evaluates insights for every node.</summary>
    public const long InsightLease = 0x4576_5472_6B72_0002;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE eventtracker.feed (
            id boolean PRIMARY KEY DEFAULT true CHECK (id),
            last_position bigint NOT NULL,
            event_count bigint NOT NULL,
            removed_count bigint NOT NULL);
        INSERT INTO eventtracker.feed VALUES (true, 0, 0, 0);

        CREATE TABLE eventtracker.events (
            position bigint NOT NULL,
            ts bigint NOT NULL,
            received_at bigint NOT NULL,
            name text NOT NULL,
            service_name text,
            user_id text,
            session_id text,
            correlation_id text,
            status_code smallint,
            response_time_ms double precision,
            client_event_id text,
            user_agent text,
            referrer text,
            user_role text,
            payload jsonb NOT NULL
        ) PARTITION BY RANGE (ts);
        CREATE TABLE eventtracker.events_default PARTITION OF eventtracker.events DEFAULT;
        CREATE INDEX events_time ON eventtracker.events (ts, position);
        CREATE INDEX events_position ON eventtracker.events (position);
        CREATE INDEX events_service ON eventtracker.events (service_name, ts, position);
        CREATE INDEX events_name ON eventtracker.events (name, ts, position);
        CREATE INDEX events_user ON eventtracker.events (user_id, ts, position) WHERE user_id IS NOT NULL;
        CREATE INDEX events_session ON eventtracker.events (session_id, ts, position) WHERE session_id IS NOT NULL;
        CREATE INDEX events_correlation ON eventtracker.events (correlation_id, ts, position) WHERE correlation_id IS NOT NULL;

        CREATE TABLE eventtracker.client_events (
            client_event_id text PRIMARY KEY,
            position bigint NOT NULL,
            ts bigint NOT NULL);

        CREATE TABLE eventtracker.batches (
            batch_id text PRIMARY KEY,
            processed_count integer NOT NULL,
            received_at bigint NOT NULL);
        """,
        """
        CREATE TABLE eventtracker.rollup_names (
            bucket bigint NOT NULL,
            service text NOT NULL,
            name text NOT NULL,
            count bigint NOT NULL,
            errors bigint NOT NULL,
            PRIMARY KEY (bucket, service, name));

        CREATE TABLE eventtracker.rollup_services (
            bucket bigint NOT NULL,
            service text NOT NULL,
            response_sum double precision NOT NULL,
            min_ms double precision NOT NULL,
            max_ms double precision NOT NULL,
            last_seen bigint NOT NULL,
            PRIMARY KEY (bucket, service));

        CREATE TABLE eventtracker.rollup_latency (
            bucket bigint NOT NULL,
            service text NOT NULL,
            bin integer NOT NULL,
            count bigint NOT NULL,
            PRIMARY KEY (bucket, service, bin));
        """,
        """
        CREATE SEQUENCE eventtracker.insight_changes;
        CREATE TABLE eventtracker.insights (
            id text PRIMARY KEY,
            episode_key text NOT NULL,
            opened_change bigint NOT NULL,
            change bigint NOT NULL,
            open boolean NOT NULL,
            severity double precision NOT NULL,
            plan_width bigint,
            plan_end bigint,
            plan_windows integer,
            body jsonb NOT NULL);
        CREATE INDEX insights_change ON eventtracker.insights (change);
        """,
        """
        ALTER TABLE eventtracker.feed
            ADD COLUMN retained_from bigint NOT NULL DEFAULT -9223372036854775808,
            ADD COLUMN evicted_count bigint NOT NULL DEFAULT 0;
        """,
        """
        CREATE TABLE eventtracker.rollup_hours (
            bucket bigint NOT NULL,
            service text NOT NULL,
            name text NOT NULL,
            count bigint NOT NULL,
            PRIMARY KEY (bucket, service, name));
        INSERT INTO eventtracker.rollup_hours
            SELECT bucket - ((bucket % 3600000) + 3600000) % 3600000, service, name, sum(count)
            FROM eventtracker.rollup_names GROUP BY 1, 2, 3;
        """,
        """
        ALTER TABLE eventtracker.events ALTER COLUMN payload TYPE json USING payload::json;
        """,
        """
        CREATE TABLE eventtracker.rollup_days (
            bucket bigint NOT NULL,
            service text NOT NULL,
            name text NOT NULL,
            count bigint NOT NULL,
            PRIMARY KEY (bucket, service, name));
        INSERT INTO eventtracker.rollup_days
            SELECT bucket - ((bucket % 86400000) + 86400000) % 86400000, service, name, sum(count)
            FROM eventtracker.rollup_hours GROUP BY 1, 2, 3;
        """,
        // Whether an event is an error is decided once, by EventRecord.IsError as the writer stores it, not again in SQL,
        // whose lower() is not .NET's case-insensitive comparison; rows stored before this column are marked here by
        // the same rule for the names that can be told apart in SQL.
        """
        ALTER TABLE eventtracker.events ADD COLUMN is_error boolean NOT NULL DEFAULT false;
        UPDATE eventtracker.events SET is_error = true
            WHERE status_code >= 400 OR strpos(lower(name), 'error') > 0 OR strpos(lower(name), 'fail') > 0 OR strpos(lower(name), 'exception') > 0;
        CREATE INDEX events_error ON eventtracker.events (ts, position) WHERE is_error;
        """,
        // Response-time sums in whole microseconds (ResponseTimeTotal): integer sums agree in any order.
        """
        ALTER TABLE eventtracker.rollup_services RENAME COLUMN response_sum TO response_us;
        ALTER TABLE eventtracker.rollup_services ALTER COLUMN response_us TYPE bigint USING round(response_us * 1000)::bigint;
        """,
        // A query on a user, session or correlation id, or on errors, counts its matches and lists their services from
        // the events (PostgresMatchCount): with the service in the index, that reads the index alone, where it read a
        // heap block per match (20,000 matches, 20,000 blocks).
        """
        DROP INDEX eventtracker.events_user;
        CREATE INDEX events_user ON eventtracker.events (user_id, ts, position) INCLUDE (service_name) WHERE user_id IS NOT NULL;
        DROP INDEX eventtracker.events_session;
        CREATE INDEX events_session ON eventtracker.events (session_id, ts, position) INCLUDE (service_name) WHERE session_id IS NOT NULL;
        DROP INDEX eventtracker.events_correlation;
        CREATE INDEX events_correlation ON eventtracker.events (correlation_id, ts, position) INCLUDE (service_name) WHERE correlation_id IS NOT NULL;
        DROP INDEX eventtracker.events_error;
        CREATE INDEX events_error ON eventtracker.events (ts, position) INCLUDE (service_name) WHERE is_error;
        """,
        // Events per minute and service, so that counting a range's partial hours with no name filter reads one row per
        // minute and service, not one per minute, service and name.
        """
        ALTER TABLE eventtracker.rollup_services ADD COLUMN count bigint NOT NULL DEFAULT 0;
        UPDATE eventtracker.rollup_services AS services SET count = names.count
            FROM (SELECT bucket, service, sum(count)::bigint AS count FROM eventtracker.rollup_names GROUP BY 1, 2) AS names
            WHERE services.bucket = names.bucket AND services.service = names.service;
        ALTER TABLE eventtracker.rollup_services ALTER COLUMN count DROP DEFAULT;
        """,
    ];

    /// <summary>Brings the schema up to date; returns the version it is at.</summary>
    public static async Task<int> MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await Execute(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", MaintenanceLock));
        try
        {
            await Execute(connection, "CREATE SCHEMA IF NOT EXISTS eventtracker; CREATE TABLE IF NOT EXISTS eventtracker.schema_version (version integer NOT NULL)", cancellationToken);
            await using var current = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM eventtracker.schema_version", connection);
            var version = (int)(await current.ExecuteScalarAsync(cancellationToken))!;
            for (; version < Migrations.Length; version++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, Migrations[version], cancellationToken);
                await Execute(connection, "INSERT INTO eventtracker.schema_version VALUES (@version)", cancellationToken, ("version", version + 1));
                await transaction.CommitAsync(cancellationToken);
            }

            return version;
        }
        finally
        {
            await Execute(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", MaintenanceLock));
        }
    }

    /// <summary>A batch command running <paramref name="sql"/> with <paramref name="values"/> as its parameters $1, $2, ….</summary>
    public static NpgsqlBatchCommand BatchCommand(string sql, IEnumerable<object> values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    public static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using Npgsql;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// The per-minute rollup tables: added to in the transaction that stores the events (so they count exactly the
/// committed events, on every node), and read back by a starting node (per hour past its detailed span). An event
/// without a service is kept under the empty service name. The names are also counted per hour and per day, so that
/// counting the events of a long range reads one row per day, service and name (<see cref="PostgresMatchCount"/>).
/// </summary>
internal static class PostgresRollups
{
    /// <summary>The width of a stored bucket.</summary>
    public static readonly TimeSpan BucketWidth = TimeSpan.FromMinutes(1);

    /// <summary>The width of a bucket in milliseconds.</summary>
    public const long BucketMs = 60_000;

    /// <summary>The width of an hourly name bucket in milliseconds.</summary>
    public const long HourMs = 3_600_000;

    /// <summary>The width of a daily name bucket in milliseconds.</summary>
    public const long DayMs = 86_400_000;

    /// <summary>The statements that add <paramref name="records"/> to the rollups, for the caller's transaction.</summary>
    public static IEnumerable<NpgsqlBatchCommand> Commands(IReadOnlyList<EventRecord> records)
    {
        var names = new Dictionary<(long, string, string), (long Count, long Errors)>();
        var hours = new Dictionary<(long, string, string), long>();
        var days = new Dictionary<(long, string, string), long>();
        var services = new Dictionary<(long, string), (long Sum, double Min, double Max, long LastSeen, long Count)>();
        var bins = new Dictionary<(long, string, int), long>();
        foreach (var record in records)
        {
            var bucket = Math.Floor((double)record.Timestamp / BucketMs) * BucketMs;
            var key = ((long)bucket, record.ServiceName ?? string.Empty);
            var errors = record.IsError ? 1 : 0;
            var name = names.GetValueOrDefault((key.Item1, key.Item2, record.Name));
            names[(key.Item1, key.Item2, record.Name)] = (name.Count + 1, name.Errors + errors);
            var hour = (key.Item1 - (((key.Item1 % HourMs) + HourMs) % HourMs), key.Item2, record.Name);
            hours[hour] = hours.GetValueOrDefault(hour) + 1;
            var day = (key.Item1 - (((key.Item1 % DayMs) + DayMs) % DayMs), key.Item2, record.Name);
            days[day] = days.GetValueOrDefault(day) + 1;
            var service = services.GetValueOrDefault(key, (0, double.PositiveInfinity, double.NegativeInfinity, long.MinValue, 0));
            service.LastSeen = Math.Max(service.LastSeen, record.Timestamp);
            service.Count++;
            if (record.ResponseTimeMs is { } ms)
            {
                service = (service.Sum + ResponseTimeTotal.Of(ms), Math.Min(service.Min, ms), Math.Max(service.Max, ms), service.LastSeen, service.Count);
                var bin = (key.Item1, key.Item2, LatencyBins.Of(ms));
                bins[bin] = bins.GetValueOrDefault(bin) + 1;
            }

            services[key] = service;
        }

        yield return Command(
            "INSERT INTO eventtracker.rollup_names SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[]) "
            + "ON CONFLICT (bucket, service, name) DO UPDATE SET count = rollup_names.count + excluded.count, errors = rollup_names.errors + excluded.errors",
            names.Keys.Select(k => k.Item1).ToArray(), names.Keys.Select(k => k.Item2).ToArray(), names.Keys.Select(k => k.Item3).ToArray(),
            names.Values.Select(v => v.Count).ToArray(), names.Values.Select(v => v.Errors).ToArray());
        yield return Command(
            "INSERT INTO eventtracker.rollup_hours SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[]) "
            + "ON CONFLICT (bucket, service, name) DO UPDATE SET count = rollup_hours.count + excluded.count",
            hours.Keys.Select(k => k.Item1).ToArray(), hours.Keys.Select(k => k.Item2).ToArray(), hours.Keys.Select(k => k.Item3).ToArray(),
            hours.Values.ToArray());
        yield return Command(
            "INSERT INTO eventtracker.rollup_days SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[]) "
            + "ON CONFLICT (bucket, service, name) DO UPDATE SET count = rollup_days.count + excluded.count",
            days.Keys.Select(k => k.Item1).ToArray(), days.Keys.Select(k => k.Item2).ToArray(), days.Keys.Select(k => k.Item3).ToArray(),
            days.Values.ToArray());
        yield return Command(
            "INSERT INTO eventtracker.rollup_services (bucket, service, response_us, min_ms, max_ms, last_seen, count) "
            + "SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::float8[], $5::float8[], $6::bigint[], $7::bigint[]) "
            + "ON CONFLICT (bucket, service) DO UPDATE SET response_us = rollup_services.response_us + excluded.response_us, "
            + "min_ms = least(rollup_services.min_ms, excluded.min_ms), max_ms = greatest(rollup_services.max_ms, excluded.max_ms), "
            + "last_seen = greatest(rollup_services.last_seen, excluded.last_seen), count = rollup_services.count + excluded.count",
            services.Keys.Select(k => k.Item1).ToArray(), services.Keys.Select(k => k.Item2).ToArray(), services.Values.Select(v => v.Sum).ToArray(),
            services.Values.Select(v => v.Min).ToArray(), services.Values.Select(v => v.Max).ToArray(), services.Values.Select(v => v.LastSeen).ToArray(),
            services.Values.Select(v => v.Count).ToArray());
        if (bins.Count > 0)
        {
            yield return Command(
                "INSERT INTO eventtracker.rollup_latency SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::bigint[]) "
                + "ON CONFLICT (bucket, service, bin) DO UPDATE SET count = rollup_latency.count + excluded.count",
                bins.Keys.Select(k => k.Item1).ToArray(), bins.Keys.Select(k => k.Item2).ToArray(), bins.Keys.Select(k => k.Item3).ToArray(),
                bins.Values.ToArray());
        }
    }

    /// <summary>
    /// Every rollup, read in one snapshot together with the feed position they count up to: per minute from
    /// <paramref name="detailedFrom"/> on, merged per hour before it (by the database, so old history costs a starting
    /// node one row per hour, service and name).
    /// </summary>
    public static async Task<StoredRollups> ReadAsync(NpgsqlDataSource dataSource, long detailedFrom, CancellationToken cancellationToken)
    {
        const string Slot = "CASE WHEN bucket < $1 THEN bucket - ((bucket % 3600000) + 3600000) % 3600000 ELSE bucket END";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT last_position FROM eventtracker.feed"),
                Command($"SELECT {Slot}, service, name, sum(count)::bigint, sum(errors)::bigint FROM eventtracker.rollup_names GROUP BY 1, 2, 3", detailedFrom),
                Command(
                    $"SELECT {Slot}, service, sum(response_us)::bigint, min(min_ms), max(max_ms), max(last_seen) FROM eventtracker.rollup_services GROUP BY 1, 2",
                    detailedFrom),
                Command($"SELECT {Slot}, service, bin, sum(count)::bigint FROM eventtracker.rollup_latency GROUP BY 1, 2, 3", detailedFrom),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var at = new FeedPosition(reader.GetInt64(0), 0);

        // A few dozen services and names recur in every bucket: keep one string of each.
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        string Text(int ordinal)
        {
            var read = reader.GetString(ordinal);
            return strings.TryAdd(read, read) ? read : strings[read];
        }

        string? Service() => Text(1) is { Length: > 0 } service ? service : null;

        var names = new List<StoredNameRollup>();
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(new StoredNameRollup(reader.GetInt64(0), Service(), Text(2), reader.GetInt64(3), reader.GetInt64(4)));
        }

        var services = new List<StoredServiceRollup>();
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            services.Add(new StoredServiceRollup(
                reader.GetInt64(0), Service(), reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetInt64(5)));
        }

        var latencies = new List<StoredLatencyBin>();
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            latencies.Add(new StoredLatencyBin(reader.GetInt64(0), Service(), reader.GetInt32(2), reader.GetInt64(3)));
        }

        return new StoredRollups(at, names, services, latencies);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values) => PostgresSchema.BatchCommand(sql, values);
}

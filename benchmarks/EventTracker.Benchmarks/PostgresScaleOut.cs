using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using EventTracker.Contracts;
using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Postgres;
using EventTracker.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventTracker.Benchmarks;

/// <summary>
/// The PostgreSQL store as several nodes use it, in one run over one throwaway cluster (fsync on): batch ingestion
/// through one node and through two against a plain binary COPY of the same rows into the same table (the floor);
/// then a database filled to <c>rows</c> events over the past week, where a node's start time, its memory (against a
/// node over 10,000 events), each API filter's and the analytics endpoints' p50, and the cross-node stream latency are
/// measured.
/// </summary>
internal static class PostgresScaleOut
{
    private const int BatchSize = 100;
    private const int SmallRows = 10_000;

    // Distinct events the senders cycle through, made before the clock starts so that making them is not measured.
    private const int Pool = 10_000;

    public static async Task RunAsync(int rows, int seconds, int senders)
    {
        using var cluster = new PostgresCluster(fsync: true);
        Console.WriteLine($"PostgreSQL cluster on port {cluster.Port}, fsync on; {senders} writers, batches of {BatchSize}, {seconds} s each.");
        if (seconds > 0)
        {
            var floor = await CopyFloorAsync(await MigratedDatabaseAsync(cluster), seconds, senders);
            var one = await IngestAsync(cluster.CreateDatabase(), nodes: 1, seconds, senders);
            var two = await IngestAsync(cluster.CreateDatabase(), nodes: 2, seconds, senders);
            Console.WriteLine($"floor, binary COPY of the same rows: {floor:N0} events/s");
            Console.WriteLine($"through one node:                    {one:N0} events/s ({one / floor:0.00}x the floor)");
            Console.WriteLine($"through two nodes:                   {two:N0} events/s ({two / floor:0.00}x the floor)");
            if (rows > 0)
            {
                await LayoutCostsAsync(cluster, floor, seconds, senders);
            }
        }

        if (rows == 0)
        {
            return;
        }

        var small = cluster.CreateDatabase();
        await FillAsync(small, SmallRows);
        var large = cluster.CreateDatabase();
        var filling = Stopwatch.StartNew();
        await FillAsync(large, rows);
        Console.WriteLine($"filled {rows:N0} events in {filling.Elapsed.TotalSeconds:N0} s ({rows / filling.Elapsed.TotalSeconds:N0} events/s in-process)");
        await AnalyzeAsync(large);
        await AnalyzeAsync(small);

        var smallNode = await PostgresNodeTimings.MeasureAsync(small, SmallRows, printQueries: false);
        var largeNode = await PostgresNodeTimings.MeasureAsync(large, rows, printQueries: true);
        Console.WriteLine($"node start (process start to healthy, then first /statistics): {SmallRows:N0} rows {smallNode.Start.TotalSeconds:N2} s, {rows:N0} rows {largeNode.Start.TotalSeconds:N2} s");
        Console.WriteLine($"node RSS after the queries: {SmallRows:N0} rows {smallNode.ResidentBytes / 1048576.0:N0} MiB, {rows:N0} rows {largeNode.ResidentBytes / 1048576.0:N0} MiB");
        await PostgresNodeTimings.CrossNodeLatencyAsync(large);
    }

    /// <summary>The connection string the nodes are given for <paramref name="database"/>.</summary>
    public static Dictionary<string, string> NodeEnvironment(string database) => new()
    {
        ["EventTracker__Store__Provider"] = "PostgreSQL",
        ["ConnectionStrings__EventTracker"] = database,
    };

    private static async Task<string> MigratedDatabaseAsync(PostgresCluster cluster)
    {
        var database = cluster.CreateDatabase();
        await using var store = OpenStore(database);
        return database;
    }

    // What the payload type and each index cost the floor: the same COPY with one thing changed.
    private static async Task LayoutCostsAsync(PostgresCluster cluster, double floor, int seconds, int senders)
    {
        string[] changes =
        [
            "ALTER TABLE eventtracker.events ALTER COLUMN payload TYPE jsonb USING payload::jsonb",
            "DROP INDEX eventtracker.events_time", "DROP INDEX eventtracker.events_position", "DROP INDEX eventtracker.events_service",
            "DROP INDEX eventtracker.events_name", "DROP INDEX eventtracker.events_user", "DROP INDEX eventtracker.events_session",
            "DROP INDEX eventtracker.events_correlation",
        ];
        Console.WriteLine("floor with one change to the layout:");
        foreach (var change in changes)
        {
            var database = await MigratedDatabaseAsync(cluster);
            await using (var connection = new NpgsqlConnection(database))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(change, connection);
                await command.ExecuteNonQueryAsync();
            }

            var rate = await CopyFloorAsync(database, seconds, senders, change.Contains("jsonb", StringComparison.Ordinal) ? NpgsqlTypes.NpgsqlDbType.Jsonb : NpgsqlTypes.NpgsqlDbType.Json);
            Console.WriteLine($"  {change.Replace("eventtracker.", string.Empty, StringComparison.Ordinal),-80} {rate,9:N0} events/s ({rate / floor:0.00}x)");
        }
    }

    private static PostgresEventStore OpenStore(string database) =>
        new(NpgsqlDataSource.Create(database), Options.Create(new EventStoreOptions()), TimeProvider.System, NullLogger<PostgresEventStore>.Instance);

    // The floor: the rows a node would store for the same requests, written by binary COPY, one transaction per batch.
    private static async Task<double> CopyFloorAsync(
        string database, int seconds, int senders, NpgsqlTypes.NpgsqlDbType payloadType = NpgsqlTypes.NpgsqlDbType.Json)
    {
        await using var dataSource = NpgsqlDataSource.Create(database);
        var codec = new PayloadCodec();
        var rows = Enumerable.Range(0, Pool).Select(i => SeedLikeEvents.Encoded(codec, i)).ToArray();
        long position = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            long stored = 0;
            for (var batch = 0; !stop.IsCancellationRequested; batch++)
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                var first = Interlocked.Add(ref position, BatchSize) - BatchSize + 1;
                await using (var copy = await connection.BeginBinaryImportAsync($"COPY eventtracker.events ({PostgresRows.Columns}) FROM STDIN (FORMAT BINARY)"))
                {
                    for (var i = 0; i < BatchSize; i++)
                    {
                        var newEvent = rows[(first + i) % Pool];
                        await PostgresRows.WriteAsync(copy, PostgresGroupWriter.ToRecord(newEvent, first + i, now), payloadType, CancellationToken.None);
                    }

                    await copy.CompleteAsync();
                }

                stored += BatchSize;
            }

            return stored;
        })));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> IngestAsync(string database, int nodes, int seconds, int senders)
    {
        var servers = new List<ServerProcess>();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                servers.Add(await ServerProcess.StartAsync(NodeEnvironment(database)));
            }

            var bodies = Enumerable.Range(0, Pool / BatchSize).Select(b => SeedLikeEvents.BatchBody(b * BatchSize, BatchSize)).ToArray();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var clock = Stopwatch.StartNew();
            // The writers are shared out among the nodes, so that the load is the floor's whatever the number of nodes.
            var counts = await Task.WhenAll(Enumerable.Range(0, senders).Select(sender => Task.Run(async () =>
            {
                using var client = servers[sender % nodes].CreateClient();
                long stored = 0;
                for (var batch = sender; !stop.IsCancellationRequested; batch++)
                {
                    using var content = new StringContent(bodies[batch % bodies.Length], Encoding.UTF8, "application/json");
                    using var response = await client.PostAsync(EventTrackerRoutes.TrackBatch, content);
                    response.EnsureSuccessStatusCode();
                    stored += (await response.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.BatchTrackEventResponse))!.ProcessedCount;
                }

                return stored;
            })));
            return counts.Sum() / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    // Through the store a node uses (group commit, rollups), in-process, with event times spread over the past week.
    private static async Task FillAsync(string database, int rows)
    {
        const int Chunk = 5_000;
        await using var store = OpenStore(database);
        var codec = new PayloadCodec();
        var start = DateTimeOffset.UtcNow.AddDays(-7).ToUnixTimeMilliseconds();
        var step = TimeSpan.FromDays(7).TotalMilliseconds / rows;
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            for (var first = Interlocked.Add(ref next, Chunk) - Chunk; first < rows; first = Interlocked.Add(ref next, Chunk) - Chunk)
            {
                var events = Enumerable.Range(first, Math.Min(Chunk, rows - first))
                    .Select(i => SeedLikeEvents.Encoded(codec, i) with { OccurredAt = start + (long)(i * step) })
                    .ToList();
                await store.AppendBatchAsync("fill-" + first.ToString(CultureInfo.InvariantCulture), events, CancellationToken.None);
            }
        })));
    }

    // What autovacuum does to an insert-only table in time; done at once so the plans are those of a settled table.
    private static async Task AnalyzeAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}

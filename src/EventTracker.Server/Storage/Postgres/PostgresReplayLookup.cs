using Npgsql;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// The batch ids and client event ids of one group of appends that the database holds already, read in two queries
/// while the group holds the feed lock (so no other node can store them in between).
/// </summary>
internal sealed class PostgresReplayLookup : IReplayLookup
{
    private static readonly string JoinedColumns = string.Join(", ", PostgresRows.Columns.Split(", ").Select(c => "e." + c));

    private readonly Dictionary<string, EventRecord> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BatchReceipt> _batches = new(StringComparer.Ordinal);

    public bool TryGetEvent(string clientEventId, out EventRecord record) => _events.TryGetValue(clientEventId, out record!);

    public bool TryGetBatch(string batchId, out BatchReceipt receipt) => _batches.TryGetValue(batchId, out receipt);

    public static async Task<PostgresReplayLookup> LoadAsync(NpgsqlConnection connection, IReadOnlyList<AppendOperation> operations, CancellationToken cancellationToken)
    {
        var lookup = new PostgresReplayLookup();
        var batchIds = operations.Select(o => o.BatchId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (batchIds.Length > 0)
        {
            await using var command = new NpgsqlCommand(
                "SELECT batch_id, processed_count, received_at FROM eventtracker.batches WHERE batch_id = ANY(@ids)", connection);
            command.Parameters.AddWithValue("ids", batchIds);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                lookup._batches[reader.GetString(0)] = new BatchReceipt(reader.GetInt32(1), reader.GetInt64(2));
            }
        }

        var clientIds = operations.SelectMany(o => o.Events).Select(e => e.ClientEventId).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (clientIds.Length > 0)
        {
            await using var command = new NpgsqlCommand(
                $"SELECT {JoinedColumns} FROM eventtracker.client_events c JOIN eventtracker.events e ON e.ts = c.ts AND e.position = c.position "
                + "WHERE c.client_event_id = ANY(@ids)",
                connection);
            command.Parameters.AddWithValue("ids", clientIds);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var record = PostgresRows.Read(reader);
                lookup._events[record.ClientEventId!] = record;
            }
        }

        return lookup;
    }
}

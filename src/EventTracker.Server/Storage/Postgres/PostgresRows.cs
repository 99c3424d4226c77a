using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// The columns of an event row, in the one order every statement reads and writes them. The payload is <c>json</c>,
/// not <c>jsonb</c>: nothing queries inside it, and <c>json</c> keeps it as written (key order included), so every
/// node and every store answers with the same payload.
/// </summary>
internal static class PostgresRows
{
    /// <summary>The columns that say what happened, when, where and to whom: the first of <see cref="Columns"/>.</summary>
    public const string LinkColumns =
        "position, ts, received_at, name, service_name, user_id, session_id, correlation_id, status_code, response_time_ms";

    /// <summary>Every column of an event row; the last, <c>is_error</c>, is <see cref="EventRecord.IsError"/> kept for queries, not read back.</summary>
    public const string Columns = LinkColumns + ", client_event_id, user_agent, referrer, user_role, payload, is_error";

    /// <summary>The event in a row of <see cref="Columns"/>.</summary>
    public static EventRecord Read(NpgsqlDataReader row) => Read(row, whole: true);

    /// <summary>The event in a row of <see cref="LinkColumns"/>, without its client event id, text columns and payload.</summary>
    public static EventRecord ReadLink(NpgsqlDataReader row) => Read(row, whole: false);

    private static EventRecord Read(NpgsqlDataReader row, bool whole)
    {
        var userAgent = whole ? Text(row, 11) : null;
        var referrer = whole ? Text(row, 12) : null;
        var userRole = whole ? Text(row, 13) : null;
        return new EventRecord
        {
            Sequence = row.GetInt64(0),
            Timestamp = row.GetInt64(1),
            ReceivedAt = row.GetInt64(2),
            Name = row.GetString(3),
            ServiceName = Text(row, 4),
            UserId = Text(row, 5),
            SessionId = Text(row, 6),
            CorrelationId = Text(row, 7),
            StatusCode = row.IsDBNull(8) ? null : row.GetInt16(8),
            ResponseTimeMs = row.IsDBNull(9) ? null : row.GetDouble(9),
            ClientEventId = whole ? Text(row, 10) : null,
            Text = userAgent is null && referrer is null && userRole is null ? null : new TextColumns(userAgent, referrer, userRole),
            PayloadJson = whole ? Encoding.UTF8.GetBytes(row.GetString(14)) : [],
        };
    }

    /// <summary>Writes one event as a row of a binary <c>COPY … (<see cref="Columns"/>)</c>.</summary>
    public static Task WriteAsync(NpgsqlBinaryImporter copy, EventRecord record, CancellationToken cancellationToken) =>
        WriteAsync(copy, record, NpgsqlDbType.Json, cancellationToken);

    /// <summary>Writes one event as a row of a binary COPY into a table whose payload column is <paramref name="payloadType"/>.</summary>
    public static async Task WriteAsync(NpgsqlBinaryImporter copy, EventRecord record, NpgsqlDbType payloadType, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(record.Sequence, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(record.Timestamp, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(record.ReceivedAt, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(record.Name, NpgsqlDbType.Text, cancellationToken);
        await WriteText(copy, record.ServiceName, cancellationToken);
        await WriteText(copy, record.UserId, cancellationToken);
        await WriteText(copy, record.SessionId, cancellationToken);
        await WriteText(copy, record.CorrelationId, cancellationToken);
        if (record.StatusCode is { } status)
        {
            await copy.WriteAsync((short)status, NpgsqlDbType.Smallint, cancellationToken);
        }
        else
        {
            await copy.WriteNullAsync(cancellationToken);
        }

        if (record.ResponseTimeMs is { } responseTime)
        {
            await copy.WriteAsync(responseTime, NpgsqlDbType.Double, cancellationToken);
        }
        else
        {
            await copy.WriteNullAsync(cancellationToken);
        }

        await WriteText(copy, record.ClientEventId, cancellationToken);
        await WriteText(copy, record.UserAgent, cancellationToken);
        await WriteText(copy, record.Referrer, cancellationToken);
        await WriteText(copy, record.UserRole, cancellationToken);
        await copy.WriteAsync(Encoding.UTF8.GetString(record.PayloadJson), payloadType, cancellationToken);
        await copy.WriteAsync(record.IsError, NpgsqlDbType.Boolean, cancellationToken);
    }

    private static string? Text(NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static Task WriteText(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
}

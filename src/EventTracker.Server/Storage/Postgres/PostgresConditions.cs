using EventTracker.Contracts;
using Npgsql;

namespace EventTracker.Server.Storage.Postgres;

/// <summary>
/// An <see cref="EventFilter"/> and time range as a SQL condition over the events table, with its positional
/// parameters: the filter fields mean here what <see cref="EventMatcher"/> says they mean in memory.
/// </summary>
internal sealed class PostgresConditions
{
    private readonly List<object> _values = [];

    public PostgresConditions(EventFilter filter, long from, long to)
    {
        var conditions = new List<string> { $"ts >= {Next(from)}", $"ts <= {Next(to)}" };
        foreach (var (column, value) in new[]
                 {
                     ("service_name", filter.ServiceName), ("name", filter.EventName), ("user_id", filter.UserId),
                     ("correlation_id", filter.CorrelationId), ("session_id", filter.SessionId),
                 })
        {
            if (value is not null)
            {
                conditions.Add($"{column} = {Next(value)}");
            }
        }

        if (filter.Type is { } type)
        {
            conditions.Add($"strpos(lower(name), lower({Next(type)})) > 0");
        }

        if (filter.ErrorsOnly == true)
        {
            conditions.Add("is_error");
        }

        if (filter.StatusClass is { } statusClass)
        {
            conditions.Add($"status_code / 100 = {Next(statusClass)}");
        }

        Where = string.Join(" AND ", conditions);
    }

    /// <summary>The condition, for a <c>WHERE</c> clause.</summary>
    public string Where { get; }

    /// <summary>
    /// The filter's service and name fields as a condition over a rollup table's (service, name) columns, with their
    /// parameters added; <c>true</c> when it has none.
    /// </summary>
    public string RollupWhere(EventFilter filter)
    {
        var conditions = new List<string>();
        if (filter.ServiceName is { } service)
        {
            conditions.Add($"service = {Next(service)}");
        }

        if (filter.EventName is { } name)
        {
            conditions.Add($"name = {Next(name)}");
        }

        if (filter.Type is { } type)
        {
            conditions.Add($"strpos(lower(name), lower({Next(type)})) > 0");
        }

        return conditions.Count == 0 ? "true" : string.Join(" AND ", conditions);
    }

    /// <summary>Adds a parameter and returns its placeholder.</summary>
    public string Next(object value)
    {
        _values.Add(value);
        return "$" + _values.Count;
    }

    /// <summary>A batch command running <paramref name="sql"/> with the parameters added so far.</summary>
    public NpgsqlBatchCommand Command(string sql) => PostgresSchema.BatchCommand(sql, _values);
}

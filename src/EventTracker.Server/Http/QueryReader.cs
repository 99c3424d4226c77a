using System.Globalization;
using EventTracker.Contracts;
using EventTracker.Server.Queries;
using EventTracker.Server.Storage;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Http;

/// <summary>Reads typed query parameters, collecting a problem per bad one.</summary>
internal sealed class QueryReader
{
    private readonly IQueryCollection _query;
    private readonly DateTimeOffset _now;
    private readonly HashSet<string> _notUtf8;
    private readonly HashSet<string> _reported = new(StringComparer.OrdinalIgnoreCase);

    public QueryReader(HttpRequest request, DateTimeOffset now)
    {
        _query = request.Query;
        _now = now;
        _notUtf8 = PercentEncoding.InvalidQueryParameters(request.QueryString.Value);
    }

    public ValidationErrors Errors { get; } = new();

    /// <summary>A string parameter; empty means absent.</summary>
    public string? String(string name)
    {
        var value = Raw(name);
        if (value.Length == 0)
        {
            return null;
        }

        EventValidation.ValidateIdentifier(value, name, Errors, EventValidation.MaxNameLength);
        return value;
    }

    /// <summary>The decoded value of <paramref name="name"/>; empty (after an error) when its escapes are not valid UTF-8.</summary>
    public string Raw(string name)
    {
        if (_notUtf8.Contains(name))
        {
            if (_reported.Add(name))
            {
                Errors.Add(name, "Must be valid UTF-8 text.");
            }

            return string.Empty;
        }

        return _query[name].ToString();
    }

    /// <summary>The filter parameters shared by <c>GET /api/events</c> and the streams.</summary>
    public EventFilter Filter() => EventFilterFields.Read(field => Raw(field.Name), Errors, field => field.Name);

    /// <summary>An integer clamped to [<paramref name="min"/>, <paramref name="max"/>]; negative or non-numeric values are errors.</summary>
    public int Limit(string name, int defaultValue, int min, int max)
    {
        var value = Raw(name);
        if (value.Length == 0)
        {
            return defaultValue;
        }

        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            Errors.Add(name, "Must be an integer.");
            return defaultValue;
        }

        if (PageLimit.Read(number, min, max) is { } limit)
        {
            return limit;
        }

        Errors.Add(name, PageLimit.Negative);
        return defaultValue;
    }

    /// <summary>A time: ISO 8601, epoch milliseconds, or a relative span such as <c>24h</c>.</summary>
    public long? Time(string name)
    {
        var value = Raw(name);
        if (value.Length == 0)
        {
            return null;
        }

        if (TimeParameter.TryParse(value, _now, out var milliseconds))
        {
            return milliseconds;
        }

        Errors.Add(name, $"Must be {TimeParameter.Forms}, within the years 1 to 9999.");
        return null;
    }

    /// <summary>Both ends of a time range, checked to be in order.</summary>
    public (long? From, long? To) TimeRange()
    {
        var from = Time("from");
        var to = Time("to");
        if (from > to)
        {
            Errors.Add("to", "Must not be earlier than from.");
        }

        return (from, to);
    }

    /// <summary>A paging cursor from a previous response.</summary>
    public EventPosition? Cursor(string name)
    {
        var value = Raw(name);
        if (value.Length == 0)
        {
            return null;
        }

        if (EventCursor.TryDecode(value, out var position))
        {
            return position;
        }

        Errors.Add(name, "Is not a cursor this server issued.");
        return null;
    }
}

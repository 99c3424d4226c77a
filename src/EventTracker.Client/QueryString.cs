using System.Globalization;
using System.Text;
using EventTracker.Contracts;

namespace EventTracker.Client;

/// <summary>Builds the query strings of the API, leaving out what is not set.</summary>
internal sealed class QueryString
{
    private readonly StringBuilder _builder = new();

    public QueryString Add(string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _builder.Append(_builder.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        return this;
    }

    public QueryString Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public QueryString Add(string name, DateTimeOffset? value) =>
        Add(name, value is { } time ? UtcIsoDateTimeConverter.Format(time) : null);

    public QueryString Add(EventFilter? filter)
    {
        foreach (var (name, value) in filter?.ToParameters() ?? [])
        {
            Add(name, value);
        }

        return this;
    }

    public override string ToString() => _builder.ToString();
}

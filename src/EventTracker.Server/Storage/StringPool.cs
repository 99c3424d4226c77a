using System.Collections.Concurrent;

namespace EventTracker.Server.Storage;

/// <summary>
/// Shares one instance of each repeated low-cardinality value (user agents, referrers, roles) across events.
/// Holds at most <c>capacity</c> distinct values and never forgets one; once full, new values are not pooled.
/// </summary>
internal sealed class StringPool
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly int _capacity;

    public StringPool(int capacity) => _capacity = capacity;

    /// <summary>The pooled instance equal to <paramref name="value"/>, or null when the pool is full and lacks it.</summary>
    public string? TryIntern(string value) =>
        _values.TryGetValue(value, out var pooled) ? pooled
        : _values.Count < _capacity ? _values.GetOrAdd(value, value)
        : null;
}

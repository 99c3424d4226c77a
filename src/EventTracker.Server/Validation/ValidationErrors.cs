namespace EventTracker.Server.Validation;

/// <summary>Problems found in a request, by the field path they concern (<c>statusCode</c>, <c>events[2].eventName</c>).</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            messages = [];
            _errors.Add(field, messages);
        }

        messages.Add(message);
    }

    /// <summary>Adds every problem of <paramref name="other"/>, with <paramref name="prefix"/> before each field path.</summary>
    public void AddAll(ValidationErrors other, string prefix)
    {
        foreach (var (field, messages) in other._errors)
        {
            foreach (var message in messages)
            {
                Add(prefix + field, message);
            }
        }
    }

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}

namespace EventTracker.Server.Http;

/// <summary>The browser origins allowed by <c>ALLOWED_ORIGINS</c> (comma-separated); unset or <c>*</c> allows any.</summary>
internal sealed class AllowedOrigins
{
    private readonly HashSet<string>? _origins;

    public AllowedOrigins(IConfiguration configuration)
    {
        var origins = configuration["ALLOWED_ORIGINS"];
        _origins = string.IsNullOrWhiteSpace(origins) || origins.Trim() == "*"
            ? null
            : origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Whether any origin is allowed.</summary>
    public bool AllowsAny => _origins is null;

    /// <summary>Whether <paramref name="origin"/> (an Origin header; empty when the client is not a browser) is allowed.</summary>
    public bool Allows(string origin) => _origins is null || origin.Length == 0 || _origins.Contains(origin);
}

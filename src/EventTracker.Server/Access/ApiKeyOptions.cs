namespace EventTracker.Server.Access;

/// <summary>One API key (an item of <c>EventTracker:Auth:Keys</c>).</summary>
public sealed class ApiKeyOptions
{
    /// <summary>A name for the key, used in logs and as its rate-limit partition; never the key itself.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The key in clear. Give this or <see cref="KeyHash"/>.</summary>
    public string? Key { get; set; }

    /// <summary>The SHA-256 of the key as 64 hex digits, so the configuration need not hold the key (<c>eventtracker-server keys new</c> prints both).</summary>
    public string? KeyHash { get; set; }

    /// <summary>What the key may do: <c>ingest</c>, <c>read</c> and/or <c>admin</c>.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>For keys used in pages: the only browser origins (such as <c>https://shop.example</c>) allowed to use it. Empty = any.</summary>
    public List<string> AllowedOrigins { get; set; } = [];
}

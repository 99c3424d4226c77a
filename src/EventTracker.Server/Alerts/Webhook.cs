using EventTracker.Contracts;

namespace EventTracker.Server.Alerts;

/// <summary>A configured webhook as the server uses it: where it is, what it hears of, its key and how its deliveries went.</summary>
internal sealed class Webhook
{
    public Webhook(WebhookOptions options)
    {
        Name = options.Name;
        Url = new Uri(options.Url, UriKind.Absolute);
        DisplayUrl = Redact(options.Url);
        Types = options.Types.ToHashSet(StringComparer.Ordinal);
        MinPriority = options.MinPriority;
        Key = options.Secret is { } secret && WebhookSignature.TryReadKey(secret, out var key) ? key : null;
    }

    public string Name { get; }

    public Uri Url { get; }

    /// <summary>The URL as shown in logs and answers (see <see cref="Redact"/>).</summary>
    public string DisplayUrl { get; }

    /// <summary>The insight types it hears of; empty = all.</summary>
    public IReadOnlySet<string> Types { get; }

    public double MinPriority { get; }

    /// <summary>The HMAC key its messages are signed with; <see langword="null"/> = unsigned.</summary>
    public byte[]? Key { get; }

    public WebhookStats Stats { get; } = new();

    /// <summary>Whether the opening of <paramref name="insight"/> is sent here.</summary>
    public bool Matches(AIInsight insight) => (Types.Count == 0 || Types.Contains(insight.Type)) && insight.Priority >= MinPriority;

    /// <summary>
    /// A URL fit for logs and answers: no user info, query or fragment, and only the path's first segment, because
    /// Slack's and Teams' incoming-webhook URLs carry their secret in the rest of the path.
    /// </summary>
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return url.Length > 40 ? url[..40] + "…" : url;
        }

        var path = uri.AbsolutePath.TrimStart('/');
        var cut = path.IndexOf('/', StringComparison.Ordinal);
        var shown = cut < 0 || cut == path.Length - 1 ? path : path[..(cut + 1)] + "…";
        return $"{uri.Scheme}://{uri.Authority}/{shown}";
    }
}

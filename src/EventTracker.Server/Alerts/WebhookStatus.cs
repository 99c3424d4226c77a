namespace EventTracker.Server.Alerts;

/// <summary>One webhook in <c>GET /api/alerts</c>: its configuration (never its secret) and its counts.</summary>
internal sealed class WebhookStatus
{
    public required string Name { get; init; }

    /// <summary>The URL without user info, query or the path after its first segment (see <see cref="Webhook.Redact"/>).</summary>
    public required string Url { get; init; }

    /// <summary>The insight types it hears of; empty = all.</summary>
    public required IReadOnlyList<string> Types { get; init; }

    public double MinPriority { get; init; }

    /// <summary>Whether its messages carry a <c>webhook-signature</c>.</summary>
    public bool Signed { get; init; }

    public long Delivered { get; init; }

    /// <summary>Messages given up after their last attempt failed.</summary>
    public long Failed { get; init; }

    /// <summary>Messages dropped unsent because the queue was full.</summary>
    public long Dropped { get; init; }

    /// <summary>Whether its last message failed.</summary>
    public bool Failing { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorAt { get; init; }

    public DateTimeOffset? LastDeliveredAt { get; init; }

    public static WebhookStatus Of(Webhook webhook)
    {
        var stats = webhook.Stats.Snapshot();
        return new WebhookStatus
        {
            Name = webhook.Name,
            Url = webhook.DisplayUrl,
            Types = webhook.Types.Order(StringComparer.Ordinal).ToList(),
            MinPriority = webhook.MinPriority,
            Signed = webhook.Key is not null,
            Delivered = stats.Delivered,
            Failed = stats.Failed,
            Dropped = stats.Dropped,
            Failing = stats.Failing,
            LastError = stats.LastError,
            LastErrorAt = stats.LastErrorAt,
            LastDeliveredAt = stats.LastDeliveredAt,
        };
    }
}

namespace EventTracker.Server.Alerts;

/// <summary>A webhook's counts at one moment (see <see cref="WebhookStats"/>).</summary>
internal readonly record struct WebhookSnapshot(
    long Delivered, long Failed, long Dropped, bool Failing, string? LastError, DateTimeOffset? LastErrorAt, DateTimeOffset? LastDeliveredAt);

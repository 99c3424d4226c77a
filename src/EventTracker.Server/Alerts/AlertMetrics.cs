using System.Diagnostics.Metrics;

namespace EventTracker.Server.Alerts;

/// <summary>
/// The <c>EventTracker.Server.Alerts</c> meter: messages delivered, failed (given up after retries) and dropped
/// (queue full, or still queued at shutdown), each tagged <c>webhook</c> with the webhook's name. Also keeps each
/// webhook's own counts for <c>GET /api/alerts</c>.
/// </summary>
internal sealed class AlertMetrics
{
    public const string MeterName = "EventTracker.Server.Alerts";
    private const string WebhookTag = "webhook";
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _dropped;

    public AlertMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _delivered = meter.CreateCounter<long>("eventtracker.alerts.delivered", "{message}", "Webhook messages the receiver accepted (2xx).");
        _failed = meter.CreateCounter<long>("eventtracker.alerts.failed", "{message}", "Webhook messages given up after their last attempt failed.");
        _dropped = meter.CreateCounter<long>("eventtracker.alerts.dropped", "{message}", "Webhook messages dropped unsent: the queue was full, or the server stopped.");
    }

    /// <inheritdoc cref="WebhookStats.Delivered"/>
    public long Delivered(Webhook webhook, DateTimeOffset at)
    {
        _delivered.Add(1, new KeyValuePair<string, object?>(WebhookTag, webhook.Name));
        return webhook.Stats.Delivered(at);
    }

    /// <inheritdoc cref="WebhookStats.Failed"/>
    public bool Failed(Webhook webhook, string error, DateTimeOffset at)
    {
        _failed.Add(1, new KeyValuePair<string, object?>(WebhookTag, webhook.Name));
        return webhook.Stats.Failed(error, at);
    }

    public void Dropped(Webhook webhook)
    {
        _dropped.Add(1, new KeyValuePair<string, object?>(WebhookTag, webhook.Name));
        webhook.Stats.Dropped();
    }
}

namespace EventTracker.Server.Alerts;

/// <summary>The answer of <c>GET /api/alerts</c>: each configured webhook and how its messages went.</summary>
internal sealed class AlertsResponse
{
    public required IReadOnlyList<WebhookStatus> Webhooks { get; init; }

    /// <summary>Messages waiting to be sent, for all webhooks.</summary>
    public int Queued { get; init; }
}

namespace EventTracker.Server.Alerts;

/// <summary>The answer of <c>POST /api/alerts/test</c>: the messages queued, one per webhook.</summary>
internal sealed class AlertTestResponse
{
    public string Type { get; init; } = AlertMessageTypes.Test;

    public required IReadOnlyList<QueuedAlert> Queued { get; init; }
}

namespace EventTracker.Server.Alerts;

/// <summary>The optional body of <c>POST /api/alerts/test</c>.</summary>
internal sealed class AlertTestRequest
{
    /// <summary>The webhook to test; none = every webhook.</summary>
    public string? Name { get; init; }
}

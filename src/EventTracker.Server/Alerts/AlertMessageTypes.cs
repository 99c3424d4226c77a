namespace EventTracker.Server.Alerts;

/// <summary>The <c>type</c> of a webhook message.</summary>
internal static class AlertMessageTypes
{
    /// <summary>An insight episode began; <c>data</c> is the insight.</summary>
    public const string InsightOpened = "insight.opened";

    /// <summary>An insight episode is over; <c>data</c> is the insight as it was last seen (<c>open: false</c>).</summary>
    public const string InsightClosed = "insight.closed";

    /// <summary>Sent by <c>POST /api/alerts/test</c>; <c>data</c> names the webhook.</summary>
    public const string Test = "alert.test";
}

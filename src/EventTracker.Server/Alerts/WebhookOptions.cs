namespace EventTracker.Server.Alerts;

/// <summary>One webhook that hears of insight episodes (an item of <c>EventTracker:Alerts:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>A unique name for the webhook, used in logs, metrics, <c>GET /api/alerts</c> and <c>POST /api/alerts/test?name=</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The absolute <c>http</c> or <c>https</c> URL each message is POSTed to, such as a Slack or Teams incoming webhook.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>The insight types it hears of (see <see cref="Contracts.InsightTypes"/>). Empty = all.</summary>
    public List<string> Types { get; set; } = [];

    /// <summary>Insights of a lower priority (0–1) are not sent. Default 0: all.</summary>
    public double MinPriority { get; set; }

    /// <summary>
    /// The signing secret. A secret of the form <c>whsec_&lt;base64&gt;</c> is base64-decoded after the prefix, as
    /// Standard Webhooks libraries do; any other string is used as its UTF-8 bytes. None: messages are not signed.
    /// </summary>
    public string? Secret { get; set; }
}

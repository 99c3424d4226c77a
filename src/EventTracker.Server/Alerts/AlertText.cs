using System.Globalization;
using System.Text;
using EventTracker.Contracts;

namespace EventTracker.Server.Alerts;

/// <summary>
/// The message's <c>text</c>: up to three short lines in Slack's mrkdwn (which Teams also renders) — what happened,
/// the service, type and priority, and the start of the description.
/// </summary>
internal static class AlertText
{
    private const int DescriptionLength = 280;

    public static string ForInsight(string type, AIInsight insight)
    {
        var text = new StringBuilder();
        text.Append(type == AlertMessageTypes.InsightClosed ? "*Resolved:* " : "*Insight:* ").Append(Escape(insight.Title)).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Service: {Escape(insight.ServiceName ?? "(all services)")} · Type: {insight.Type} · Priority: {insight.Priority:0.00}");
        if (type == AlertMessageTypes.InsightClosed)
        {
            text.Append(CultureInfo.InvariantCulture, $" · Lasted: {Duration(insight.LastSeenAt - insight.DetectedAt)}");
        }

        var description = insight.Description.Length > DescriptionLength ? insight.Description[..(DescriptionLength - 1)] + "…" : insight.Description;
        return text.Append('\n').Append(Escape(description)).ToString();
    }

    public static string ForTest(string webhookName) =>
        $"*EventTracker test alert* for webhook '{Escape(webhookName)}'.\nIf you can read this, insight alerts reach this channel.";

    // Slack reads <…> as links and mentions and & as the start of an entity.
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min")
        : "under a minute";
}

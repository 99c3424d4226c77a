using EventTracker.Contracts;

namespace EventTracker.Server.Alerts;

/// <summary>What the insight engine tells, after each evaluation, about the episodes it opened and closed.</summary>
internal interface IInsightAlerts
{
    /// <summary>Queues the messages for <paramref name="opened"/> and <paramref name="closed"/> episodes; returns at once.</summary>
    void Publish(IReadOnlyList<AIInsight> opened, IReadOnlyList<AIInsight> closed);
}

using EventTracker.Contracts;

namespace EventTracker.Server.Insights;

/// <summary>An episode as one evaluation left it: the insight answered, and the detection it continues from.</summary>
internal sealed record RecordedEpisode(Detection Detection, AIInsight Insight);

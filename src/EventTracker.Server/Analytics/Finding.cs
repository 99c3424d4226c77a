using EventTracker.Contracts;

namespace EventTracker.Server.Analytics;

/// <summary>A suggestion about one service.</summary>
internal sealed record Finding(string ServiceName, AISuggestion Suggestion);

namespace EventTracker.Contracts;

/// <summary>The answer of <c>GET /api/events/suggestions</c>.</summary>
public sealed class SuggestionsResponse
{
    /// <summary>Suggestions, highest score first.</summary>
    public IReadOnlyList<AISuggestion> Suggestions { get; init; } = [];

    /// <summary>What the suggestions were computed over.</summary>
    public required SuggestionContext Context { get; init; }
}

namespace EventTracker.Contracts;

/// <summary>An insight derived from event patterns, with what it was based on.</summary>
public sealed class AISuggestion
{
    /// <summary>Stable identifier of the suggestion (same rule and subject, same id).</summary>
    public required string Id { get; init; }

    /// <summary>Short title.</summary>
    public required string Title { get; init; }

    /// <summary>Detailed description.</summary>
    public string? Description { get; init; }

    /// <summary>Relevance score from 0 to 1.</summary>
    public double? Score { get; init; }

    /// <summary>A suggested next step.</summary>
    public SuggestionAction? Action { get; init; }

    /// <summary>Categorization tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>What the suggestion was derived from.</summary>
    public SuggestionBasis? BasedOn { get; init; }
}

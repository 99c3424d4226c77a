namespace EventTracker.Contracts;

/// <summary>A link a user can follow to act on a suggestion.</summary>
public sealed class SuggestionAction
{
    /// <summary>Button text.</summary>
    public required string Label { get; init; }

    /// <summary>Where the action leads.</summary>
    public string? Href { get; init; }

    /// <summary>HTTP method of the action: GET, POST, PUT or DELETE.</summary>
    public string? Method { get; init; }
}

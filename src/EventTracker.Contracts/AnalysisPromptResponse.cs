namespace EventTracker.Contracts;

/// <summary>The answer of <c>GET /api/ai/prompts/{kind}</c>: one of the guide's analysis prompts, filled with live numbers.</summary>
public sealed class AnalysisPromptResponse
{
    /// <summary><c>performance</c>, <c>user-behavior</c>, <c>business</c> or <c>security</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The service the numbers are about, or null for all services.</summary>
    public string? ServiceName { get; init; }

    /// <summary>The guide's system prompt for event analysis.</summary>
    public required string SystemPrompt { get; init; }

    /// <summary>The analysis prompt with its placeholders filled.</summary>
    public required string Prompt { get; init; }

    /// <summary>The value that filled each placeholder, by the placeholder's name.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();
}

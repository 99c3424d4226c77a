namespace EventTracker.Contracts;

/// <summary>The evidence behind a suggestion.</summary>
public sealed class SuggestionBasis
{
    /// <summary>The pattern that was detected.</summary>
    public required string EventPattern { get; init; }

    /// <summary>Number of events analysed.</summary>
    public long SampleSize { get; init; }

    /// <summary>Confidence from 0 to 1, growing with the sample size.</summary>
    public double Confidence { get; init; }
}

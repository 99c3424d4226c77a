namespace EventTracker.Contracts;

/// <summary>The guide's impact scores of an <see cref="AIInsight"/>, each 0–1.</summary>
public sealed class InsightImpact
{
    /// <summary>On the people using the product.</summary>
    public double UserExperience { get; init; }

    /// <summary>On revenue and other business measures.</summary>
    public double BusinessMetrics { get; init; }

    /// <summary>On the code and systems that will need work.</summary>
    public double TechnicalDebt { get; init; }
}

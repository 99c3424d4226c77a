namespace EventTracker.Contracts;

/// <summary>The values of <see cref="AIInsight.Type"/>.</summary>
public static class InsightTypes
{
    /// <summary>Responses slower than the service's own baseline.</summary>
    public const string Performance = "performance";

    /// <summary>More errors than the service's own baseline.</summary>
    public const string Reliability = "reliability";

    /// <summary>A volume spike or drop against the service's own baseline.</summary>
    public const string Traffic = "traffic";

    /// <summary>Failed-login bursts, one source acting for many users.</summary>
    public const string Security = "security";

    /// <summary>Flows that start and never finish, funnels people leave.</summary>
    public const string UserExperience = "user-experience";

    /// <summary>Every type, in the order above.</summary>
    public static IReadOnlyList<string> All { get; } = [Performance, Reliability, Traffic, Security, UserExperience];
}

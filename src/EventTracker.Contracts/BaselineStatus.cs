namespace EventTracker.Contracts;

/// <summary>
/// How much history a service's anomaly detection rests on: whether it is still warming up (too little history to
/// judge), or which windows it compares. Part of <see cref="InsightsResponse"/>, so an empty list of insights says why.
/// </summary>
public sealed class BaselineStatus
{
    /// <summary>The service.</summary>
    public required string ServiceName { get; init; }

    /// <summary><see langword="true"/> while the service has too little history for anomalies to be judged.</summary>
    public bool WarmingUp { get; init; }

    /// <summary>Minutes of the service's history the detector holds (counted up to the span a full baseline needs).</summary>
    public double HeldMinutes { get; init; }

    /// <summary>Minutes of history needed before anything is judged.</summary>
    public double NeededMinutes { get; init; }

    /// <summary>Width of the windows compared, in minutes: short while history is short, widening to the configured window as it grows; absent while warming up.</summary>
    public double? WindowMinutes { get; init; }

    /// <summary>How many windows before the latest make the baseline; absent while warming up.</summary>
    public int? BaselineWindows { get; init; }

    /// <summary>The same in one sentence, such as <c>baseline: warming up, 2 minutes held of the 4 needed</c>.</summary>
    public required string Description { get; init; }
}

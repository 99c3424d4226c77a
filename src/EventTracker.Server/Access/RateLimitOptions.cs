using System.ComponentModel.DataAnnotations;

namespace EventTracker.Server.Access;

/// <summary>
/// Rate limits per sender — per API key, or per client IP address when anonymous (configuration section
/// <c>EventTracker:RateLimit</c>). Ingestion counts events (a batch of n costs n); reads count requests. 0 = no limit.
/// Limits are per server process: with several nodes over one PostgreSQL database, each node counts what reaches it, so
/// behind a load balancer that spreads a sender over n nodes the sender may send up to n times the limit (set it to the
/// total you want divided by the nodes). Counting in the database would put a write on every request's path.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "EventTracker:RateLimit";

    /// <summary>Events a sender may send per second, on average. Default 0: no limit.</summary>
    [Range(0, 10_000_000)]
    public double EventsPerSecond { get; set; }

    /// <summary>Events a sender may send at once after a quiet spell (the bucket's size). Default 5,000.</summary>
    [Range(1, 100_000_000)]
    public int EventBurst { get; set; } = 5000;

    /// <summary>Read requests (queries, analytics, stream connections) a sender may make per second. Default 0: no limit.</summary>
    [Range(0, 1_000_000)]
    public double ReadsPerSecond { get; set; }

    /// <summary>Read requests a sender may make at once. Default 100.</summary>
    [Range(1, 1_000_000)]
    public int ReadBurst { get; set; } = 100;
}

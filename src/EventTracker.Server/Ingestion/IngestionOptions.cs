using System.ComponentModel.DataAnnotations;

namespace EventTracker.Server.Ingestion;

/// <summary>Limits on what clients send (configuration section <c>EventTracker:Ingestion</c>).</summary>
public sealed class IngestionOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "EventTracker:Ingestion";

    /// <summary>Largest request body accepted, in bytes; larger ones get 413. Default 1 MiB.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Most events in one batch; more get 413. Default 1,000.</summary>
    [Range(1, 100_000)]
    public int MaxBatchEvents { get; set; } = 1000;

    /// <summary>How far after the server's clock an event's own <c>timestamp</c> may be; later gets 400. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How far before the server's clock an event's own <c>timestamp</c> may be; earlier gets 400. Default 30 days; the
    /// store's <c>MaxAge</c>, when shorter, is the limit, since such events would be evicted at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan MaxEventAge { get; set; } = TimeSpan.FromDays(30);
}

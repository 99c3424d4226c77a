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
}

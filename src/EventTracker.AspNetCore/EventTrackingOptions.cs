using EventTracker.Contracts;
using Microsoft.AspNetCore.Http;

namespace EventTracker.AspNetCore;

/// <summary>What <c>UseEventTracking</c> records for each request; set with <c>services.AddEventTracking(options => …)</c>.</summary>
public sealed class EventTrackingOptions
{
    /// <summary>Also track <c>api-request-received</c> when a request starts (doubles the volume). Default false.</summary>
    public bool TrackRequestReceived { get; set; }

    /// <summary>
    /// Path prefixes that are never tracked. Default: <c>/health</c>, <c>/healthz</c>, <c>/favicon.ico</c>,
    /// <c>/_framework</c>, <c>/lib</c>, <c>/css</c>, <c>/js</c>.
    /// </summary>
    public IList<PathString> ExcludedPaths { get; } =
        ["/health", "/healthz", "/favicon.ico", "/_framework", "/lib", "/css", "/js"];

    /// <summary>File extensions of static assets that are never tracked.</summary>
    public ISet<string> ExcludedExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".css", ".js", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".woff", ".woff2", ".ttf", ".webp",
    };

    /// <summary>Share of requests tracked, from 0 to 1 (checked at start). Default 1 (all).</summary>
    public double SampleRate { get; set; } = 1;

    /// <summary>
    /// Draws the number in [0, 1) that decides whether a request is sampled (tracked when below <see cref="SampleRate"/>).
    /// Default the shared <see cref="Random"/>; set a seeded one to make sampling repeatable in tests.
    /// </summary>
    public Func<double> Randomizer { get; set; } = static () => Random.Shared.NextDouble();

    /// <summary>
    /// Called for each event before it is queued, to add data to its payload or to drop it (return false).
    /// Arguments: the request, the event name, the payload.
    /// </summary>
    public Func<HttpContext, string, AIEventPayload, bool>? Enrich { get; set; }
}

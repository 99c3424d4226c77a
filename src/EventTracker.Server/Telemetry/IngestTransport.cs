namespace EventTracker.Server.Telemetry;

/// <summary>How events arrived: the <c>transport</c> tag of the ingestion metrics.</summary>
internal enum IngestTransport
{
    /// <summary><c>POST /api/events/track/{eventName}</c>.</summary>
    Http,

    /// <summary><c>POST /api/events/track/batch</c>.</summary>
    Batch,

    /// <summary>A <c>track</c> message on the WebSocket stream.</summary>
    WebSocket,

    /// <summary><c>POST /v1/traces</c> and <c>/v1/logs</c>.</summary>
    Otlp,
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace EventTracker.Contracts;

/// <summary>
/// The data sent with a tracked event. Every field is optional; fields the schema does not name
/// are kept in <see cref="AdditionalProperties"/> and returned exactly as they came.
/// </summary>
public sealed class AIEventPayload
{
    /// <summary>Browser or client user agent.</summary>
    [JsonPropertyName("userAgent")]
    public string? UserAgent { get; set; }

    /// <summary>Referring page or source.</summary>
    [JsonPropertyName("referrer")]
    public string? Referrer { get; set; }

    /// <summary>Session identifier.</summary>
    [JsonPropertyName("sessionId")]
    public string? SessionId { get; set; }

    /// <summary>User role or permission level.</summary>
    [JsonPropertyName("userRole")]
    public string? UserRole { get; set; }

    /// <summary>Groups related events, such as the request and response of one API call.</summary>
    [JsonPropertyName("correlationId")]
    public string? CorrelationId { get; set; }

    /// <summary>HTTP status code, for API events.</summary>
    [JsonPropertyName("statusCode")]
    public int? StatusCode { get; set; }

    /// <summary>Response time in milliseconds.</summary>
    [JsonPropertyName("responseTimeMs")]
    public double? ResponseTimeMs { get; set; }

    /// <summary>The service that emitted the event.</summary>
    [JsonPropertyName("serviceName")]
    public string? ServiceName { get; set; }

    /// <summary>Additional custom data.</summary>
    [JsonPropertyName("metadata")]
    public JsonObject? Metadata { get; set; }

    /// <summary>Top-level fields the schema does not name (for example a client's own <c>timestamp</c> or <c>userId</c>).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>
    /// A copy to change without touching this one: the same values, with its own <see cref="AdditionalProperties"/>
    /// dictionary; <see cref="Metadata"/> is the same object (copy it too before changing it).
    /// </summary>
    /// <returns>The copy.</returns>
    public AIEventPayload Clone()
    {
        var copy = (AIEventPayload)MemberwiseClone();
        copy.AdditionalProperties = AdditionalProperties is null ? null : new Dictionary<string, JsonElement>(AdditionalProperties);
        return copy;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using EventTracker.Contracts;

namespace EventTracker.Server.Alerts;

/// <summary>Source-generated JSON for the alert endpoints, with the same settings as the rest of the API (camelCase, nulls left out, times as <c>…fffZ</c>).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcIsoDateTimeConverter)])]
[JsonSerializable(typeof(AlertsResponse))]
[JsonSerializable(typeof(AlertTestRequest))]
[JsonSerializable(typeof(AlertTestResponse))]
internal sealed partial class AlertsJsonContext : JsonSerializerContext;

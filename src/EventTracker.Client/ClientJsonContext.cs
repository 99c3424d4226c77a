using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventTracker.Client;

/// <summary>Source-generated JSON metadata for the client's own types.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventTrackerProblemDetails))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;

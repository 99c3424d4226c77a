using System.Text.Json.Nodes;
using EventTracker.Server.Otlp.Protocol;

namespace EventTracker.Server.Otlp;

/// <summary>What every event of one OTLP resource (one emitting process) shares: its service and its other attributes.</summary>
internal sealed record OtlpResource(string? ServiceName, JsonObject Attributes)
{
    /// <summary>The resource's <c>service.name</c>, and its attributes but that and the SDK's own (<c>telemetry.sdk.*</c>).</summary>
    public static OtlpResource Of(Resource? resource)
    {
        if (resource is null)
        {
            return new OtlpResource(null, []);
        }

        var attributes = OtlpValues.ToJson(resource.Attributes, "service.name", "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version");
        return new OtlpResource(OtlpValues.Text(resource.Attributes, "service.name"), attributes);
    }

    /// <summary>Adds the resource's attributes, and the instrumentation scope's name and version, to an event's metadata.</summary>
    public void Describe(JsonObject metadata, InstrumentationScope? scope)
    {
        if (scope is { Name.Length: > 0 })
        {
            metadata["otel.scope.name"] = scope.Name;
            if (scope.Version.Length > 0)
            {
                metadata["otel.scope.version"] = scope.Version;
            }
        }

        if (Attributes.Count > 0)
        {
            metadata["resource"] = Attributes.DeepClone();
        }
    }
}

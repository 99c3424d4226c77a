using Microsoft.Net.Http.Headers;

namespace EventTracker.Server.Otlp;

/// <summary>The two encodings of OTLP/HTTP; an answer is written in the encoding of its request.</summary>
internal enum OtlpEncoding
{
    /// <summary><c>application/x-protobuf</c>: what the OpenTelemetry SDKs send by default.</summary>
    Protobuf,

    /// <summary><c>application/json</c>: OTLP/JSON, with ids as hex text.</summary>
    Json,
}

/// <summary>Reads the encoding a request declares.</summary>
internal static class OtlpEncodings
{
    public const string ProtobufMediaType = "application/x-protobuf";
    public const string JsonMediaType = "application/json";

    /// <summary>The encoding of <paramref name="contentType"/>, or null when it is neither OTLP encoding.</summary>
    public static OtlpEncoding? Of(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType) ? mediaType.MediaType.Value?.ToLowerInvariant() switch
        {
            ProtobufMediaType => OtlpEncoding.Protobuf,
            JsonMediaType => OtlpEncoding.Json,
            _ => null,
        } : null;
}

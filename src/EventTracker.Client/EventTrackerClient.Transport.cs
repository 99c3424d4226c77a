using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EventTracker.Contracts;

namespace EventTracker.Client;

// The requests on the wire: the service and trace stamped on events, the API key, batch bodies, and how an answer
// becomes a result or an EventTrackerException.
public partial class EventTrackerClient
{
    internal static string NewId() => Guid.CreateVersion7().ToString();

    // The service, and the trace the call is made in (so the event lines up with its spans), unless the payload says;
    // on a copy, so the caller's payload is never written to.
    private AIEventPayload Stamped(AIEventPayload? payload)
    {
        var traceId = payload?.CorrelationId is null && Activity.Current is { } activity ? activity.TraceId.ToHexString() : null;
        if (payload is not null && (payload.ServiceName is not null || Options.ServiceName is null) && traceId is null)
        {
            return payload;
        }

        var stamped = payload?.Clone() ?? new AIEventPayload();
        stamped.ServiceName ??= Options.ServiceName;
        stamped.CorrelationId ??= traceId;
        return stamped;
    }

    internal Uri Url(string route) => new(_baseAddress, route.TrimStart('/'));

    /// <summary>
    /// Sends <paramref name="request"/> (disposing it) and reads the answer, or throws the server's problem; a server
    /// that cannot be reached, or answers too late, is an <see cref="EventTrackerException"/> with the transport error
    /// inside. <paramref name="singleAttempt"/> turns the resilience pipeline's retries off for this request.
    /// </summary>
    internal async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken, bool singleAttempt = false)
    {
        using (request)
        {
            AddApiKey(request);
            using var attempts = singleAttempt ? EventTrackerResilience.SingleAttempt(request, cancellationToken) : null;
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && TransientFailure.IsTransport(e))
            {
                throw new EventTrackerException($"EventTracker at {_baseAddress} could not be reached: {e.Message}", e);
            }

            using (response)
            {
                await EnsureSuccessAsync(response, cancellationToken);
                return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                    ?? throw new EventTrackerException("The server answered with an empty body.");
            }
        }
    }

    /// <summary>
    /// A batch body ready to send: the JSON as is, or gzip-compressed when it is larger than the threshold (the
    /// background sender builds one per attempt, since each says when it was sent).
    /// </summary>
    internal BatchContent ToBatchContent(byte[] json)
    {
        if (!Options.CompressBatches || json.Length <= Options.CompressionThresholdBytes)
        {
            return new BatchContent(json, Compressed: false);
        }

        using var buffer = new MemoryStream(json.Length / 4);
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        return new BatchContent(buffer.ToArray(), Compressed: true);
    }

    /// <summary>Posts a batch body made by <see cref="ToBatchContent"/>; once when <paramref name="singleAttempt"/> (the background sender retries itself).</summary>
    internal Task<BatchTrackEventResponse> PostBatchAsync(BatchContent body, bool singleAttempt, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body.Bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (body.Compressed)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return SendAsync(
            new HttpRequestMessage(HttpMethod.Post, Url(EventTrackerRoutes.TrackBatch)) { Content = content },
            EventTrackerJsonContext.Default.BatchTrackEventResponse,
            cancellationToken,
            singleAttempt);
    }

    private Task<T> GetAsync<T>(string route, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Url(route)), type, cancellationToken);

    private void AddApiKey(HttpRequestMessage request)
    {
        if (Options.ApiKey is { } key)
        {
            request.Headers.TryAddWithoutValidation(Options.ApiKeyHeaderName, key);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        EventTrackerProblemDetails? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is { } mediaType && mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync(ClientJsonContext.Default.EventTrackerProblemDetails, cancellationToken);
            }
            catch (JsonException)
            {
            }
        }

        throw new EventTrackerException(response.StatusCode, problem);
    }
}

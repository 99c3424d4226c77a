using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EventTracker.Contracts;

namespace EventTracker.Client;

/// <summary>
/// A typed client for every EventTracker endpoint. Safe to share across threads. Failures throw
/// <see cref="EventTrackerException"/> with the status code and the server's problem details; transient failures
/// (network errors, 408, 429, 5xx) are retried first, as <see cref="EventTrackerClientOptions"/> configures.
/// </summary>
public class EventTrackerClient
{
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;

    /// <summary>Creates a client of the server at <paramref name="baseAddress"/> with default options.</summary>
    /// <param name="baseAddress">The server, such as <c>http://localhost:3000</c>.</param>
    public EventTrackerClient(Uri baseAddress)
        : this(baseAddress, new EventTrackerClientOptions())
    {
    }

    /// <summary>Creates a client of the server at <paramref name="baseAddress"/> with its own resilient <see cref="HttpClient"/>.</summary>
    /// <param name="baseAddress">The server, such as <c>http://localhost:3000</c>.</param>
    /// <param name="options">Client settings; <see cref="EventTrackerClientOptions.BaseAddress"/> is replaced by <paramref name="baseAddress"/>.</param>
    public EventTrackerClient(Uri baseAddress, EventTrackerClientOptions options)
        : this(WithBaseAddress(options, baseAddress))
    {
    }

    private EventTrackerClient(EventTrackerClientOptions options)
        : this(new HttpClient(EventTrackerResilience.CreateHandler(options)) { Timeout = Timeout.InfiniteTimeSpan, BaseAddress = options.BaseAddress }, options)
    {
    }

    /// <summary>
    /// Creates a client over <paramref name="httpClient"/>, as <c>AddEventTracker</c> does with one from
    /// <c>IHttpClientFactory</c>. Its <see cref="HttpClient.BaseAddress"/>, if set, wins over the options'.
    /// </summary>
    /// <param name="httpClient">The HTTP client; its handlers decide retries and timeouts.</param>
    /// <param name="options">Client settings; defaults when null.</param>
    public EventTrackerClient(HttpClient httpClient, EventTrackerClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        Options = options ?? new EventTrackerClientOptions();
        var baseAddress = httpClient.BaseAddress ?? Options.BaseAddress;
        _baseAddress = new Uri(baseAddress.AbsoluteUri.TrimEnd('/') + "/");
        BackOff = new RetryBackOff(Options.RetryDelay, Options.MaxReconnectDelay);
    }

    /// <summary>For mocking.</summary>
    protected EventTrackerClient()
    {
        _http = null!;
        _baseAddress = null!;
        Options = new EventTrackerClientOptions();
        BackOff = new RetryBackOff(Options.RetryDelay, Options.MaxReconnectDelay);
    }

    /// <summary>The settings this client uses.</summary>
    public EventTrackerClientOptions Options { get; }

    /// <summary>The pauses between reconnects of a stream and between background retries of a batch.</summary>
    internal RetryBackOff BackOff { get; init; }

    /// <summary>The clock the pauses are waited on.</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Tracks one event. A client-made id goes with it as <c>Idempotency-Key</c>, so a retry after a lost response is
    /// not stored twice.
    /// </summary>
    /// <param name="eventName">The event name, 1–200 characters.</param>
    /// <param name="payload">The event's data; <see cref="EventTrackerClientOptions.ServiceName"/> fills a missing service.</param>
    /// <param name="userId">Sent as <c>X-User-Id</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server's answer, with suggestions for the event's service.</returns>
    /// <exception cref="EventTrackerException">The server refused the event.</exception>
    public virtual Task<TrackEventResponse> TrackAsync(
        string eventName, AIEventPayload? payload = null, string? userId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        payload = Stamped(payload);
        var request = new HttpRequestMessage(HttpMethod.Post, Url(EventTrackerRoutes.TrackPath(eventName)))
        {
            Content = JsonContent.Create(payload, EventTrackerJsonContext.Default.AIEventPayload),
        };
        request.Headers.Add("Idempotency-Key", NewId());
        if (userId is not null)
        {
            request.Headers.Add("X-User-Id", userId);
        }

        return SendAsync(request, EventTrackerJsonContext.Default.TrackEventResponse, cancellationToken);
    }

    /// <summary>
    /// Tracks several events at once: all are stored or none. A missing <see cref="BatchTrackEventRequest.BatchId"/> and
    /// missing item <see cref="BatchTrackEventItem.EventId"/>s are sent as client-made ids, the same on every attempt,
    /// so a retried batch is not stored twice; <paramref name="batch"/> itself is not changed.
    /// </summary>
    /// <param name="batch">The events; at most 1,000 by default on the server.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server's answer.</returns>
    /// <exception cref="EventTrackerException">The server refused the batch.</exception>
    public virtual Task<BatchTrackEventResponse> TrackBatchAsync(BatchTrackEventRequest batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var sent = new BatchTrackEventRequest
        {
            BatchId = batch.BatchId ?? "batch-" + NewId(),
            Events = [.. batch.Events.Select(item => new BatchTrackEventItem { EventName = item.EventName, EventId = item.EventId ?? NewId(), Payload = Stamped(item.Payload) })],
        };
        return PostBatchAsync(ToBatchContent(JsonSerializer.SerializeToUtf8Bytes(sent, EventTrackerJsonContext.Default.BatchTrackEventRequest)), cancellationToken);
    }

    /// <summary>One page of events matching <paramref name="query"/>, newest first.</summary>
    /// <param name="query">Filters, time range, page size and cursor; all optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, with totals and the cursor of the next page.</returns>
    /// <exception cref="EventTrackerException">The server refused the query.</exception>
    public virtual Task<EventsResponse> GetEventsAsync(EventQuery? query = null, CancellationToken cancellationToken = default)
    {
        var queryString = new QueryString()
            .Add(query)
            .Add("from", query?.From)
            .Add("to", query?.To)
            .Add("limit", query?.Limit)
            .Add("cursor", query?.Cursor);
        return GetAsync(EventTrackerRoutes.Events + queryString, EventTrackerJsonContext.Default.EventsResponse, cancellationToken);
    }

    /// <summary>Every event matching <paramref name="query"/>, newest first, following the cursor page by page.</summary>
    /// <param name="query">Filters and time range; <see cref="EventQuery.Limit"/> sets the page size (default the largest).</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The events.</returns>
    /// <exception cref="EventTrackerException">The server refused the query.</exception>
    public virtual async IAsyncEnumerable<StoredEvent> QueryAllEventsAsync(
        EventQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = Copy(query ?? new EventQuery());
        page.Limit ??= EventQuery.MaxLimit;
        do
        {
            var response = await GetEventsAsync(page, cancellationToken);
            foreach (var storedEvent in response.Events)
            {
                yield return storedEvent;
            }

            page.Cursor = response.NextCursor;
        }
        while (page.Cursor is not null);
    }

    /// <summary>Analytics per service.</summary>
    /// <param name="since">Start of the range (<c>from</c>); all held events when null.</param>
    /// <param name="until">End of the range (<c>to</c>).</param>
    /// <param name="serviceName">Only this service.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per-service statistics and a summary.</returns>
    /// <exception cref="EventTrackerException">The server refused the query.</exception>
    public virtual Task<ServicesResponse> GetServicesAsync(
        DateTimeOffset? since = null, DateTimeOffset? until = null, string? serviceName = null, CancellationToken cancellationToken = default) =>
        GetAsync(
            EventTrackerRoutes.Services + new QueryString().Add("from", since).Add("to", until).Add("serviceName", serviceName),
            EventTrackerJsonContext.Default.ServicesResponse,
            cancellationToken);

    /// <summary>Statistics of the held events.</summary>
    /// <param name="since">Start of the range (<c>from</c>); all held events when null.</param>
    /// <param name="until">End of the range (<c>to</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Totals, events per day, top events and a per-service breakdown.</returns>
    /// <exception cref="EventTrackerException">The server refused the query.</exception>
    public virtual Task<EventStatistics> GetStatisticsAsync(
        DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        GetAsync(
            EventTrackerRoutes.Statistics + new QueryString().Add("from", since).Add("to", until),
            EventTrackerJsonContext.Default.EventStatistics,
            cancellationToken);

    /// <summary>Insights the server found: anomalies against each service's own baseline, security and user-experience findings.</summary>
    /// <param name="serviceName">Only about this service.</param>
    /// <param name="type">Only of this type (see <see cref="InsightTypes"/>).</param>
    /// <param name="since">Only insights still seen at or after this time (<c>from</c>).</param>
    /// <param name="until">Only insights detected at or before this time (<c>to</c>).</param>
    /// <param name="limit">Most insights (server default 20, at most 200).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Open insights first, then by priority, each with its evidence.</returns>
    /// <exception cref="EventTrackerException">The server refused the query.</exception>
    public virtual Task<InsightsResponse> GetInsightsAsync(
        string? serviceName = null, string? type = null, DateTimeOffset? since = null, DateTimeOffset? until = null, int? limit = null,
        CancellationToken cancellationToken = default) =>
        GetAsync(
            EventTrackerRoutes.Insights
                + new QueryString().Add("serviceName", serviceName).Add("type", type).Add("from", since).Add("to", until).Add("limit", limit),
            EventTrackerJsonContext.Default.InsightsResponse,
            cancellationToken);

    /// <summary>A service's history: volume, errors and response-time percentiles per bucket.</summary>
    /// <param name="serviceName">The service; all services together when null.</param>
    /// <param name="since">Start of the range (<c>from</c>); 24 hours before <paramref name="until"/> when null.</param>
    /// <param name="until">End of the range (<c>to</c>); now when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>At most 120 buckets of a round width chosen by the server from the range, oldest first, empty ones included.</returns>
    /// <exception cref="EventTrackerException">The server refused the query.</exception>
    public virtual Task<TimeSeriesResponse> GetServiceTimeSeriesAsync(
        string? serviceName = null, DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default) =>
        GetAsync(
            EventTrackerRoutes.TimeSeries + new QueryString().Add("serviceName", serviceName).Add("from", since).Add("to", until),
            EventTrackerJsonContext.Default.TimeSeriesResponse,
            cancellationToken);

    /// <summary>Suggestions derived from event patterns.</summary>
    /// <param name="serviceName">Only about this service.</param>
    /// <param name="eventName">Only about services that have this event.</param>
    /// <param name="userId">Only about services this user's events touch.</param>
    /// <param name="limit">Most suggestions (server default 10).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Suggestions, best first, and their context.</returns>
    /// <exception cref="EventTrackerException">The server refused the query.</exception>
    public virtual Task<SuggestionsResponse> GetSuggestionsAsync(
        string? serviceName = null, string? eventName = null, string? userId = null, int? limit = null, CancellationToken cancellationToken = default) =>
        GetAsync(
            EventTrackerRoutes.Suggestions
                + new QueryString().Add("serviceName", serviceName).Add("eventName", eventName).Add("userId", userId).Add("limit", limit),
            EventTrackerJsonContext.Default.SuggestionsResponse,
            cancellationToken);

    /// <summary>
    /// The live stream (Server-Sent Events) as it arrives: events, new insights, stats, pings and dropped notices
    /// (<see cref="StreamMessage.AsEvent"/> and <see cref="StreamMessage.AsInsight"/> read the first two). When the
    /// connection drops, it reconnects with back-off and <c>Last-Event-ID</c>, so the enumeration goes on without gaps
    /// or repeats; cancelling <paramref name="cancellationToken"/> ends it without an exception.
    /// </summary>
    /// <param name="filter">Which events to receive, and optionally where to resume.</param>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <returns>The messages.</returns>
    /// <exception cref="EventTrackerException">The server refused the stream (for example a bad filter).</exception>
    public virtual async IAsyncEnumerable<StreamMessage> StreamAsync(
        StreamFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var lastEventId = filter?.LastEventId;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var response = await TryOpenStreamAsync(filter, lastEventId, cancellationToken);
            if (response is not null)
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                await using var items = SseParser.Create(stream, ParseStreamMessage).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
                while (await MoveNextOrEndAsync(items, cancellationToken))
                {
                    failures = 0;
                    lastEventId = items.Current.EventId ?? lastEventId;
                    if (items.Current.Data is { } message)
                    {
                        yield return message;
                    }
                }
            }

            if (!await DelayQuietlyAsync(BackOff.Next(failures++), cancellationToken))
            {
                yield break;
            }
        }
    }

    /// <summary>Opens a WebSocket to the live stream, for receiving messages and sending filters and events.</summary>
    /// <param name="filter">The first filter; change it later with <see cref="EventTrackerWebSocket.SetFilterAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <returns>The open session; dispose it to close.</returns>
    public virtual Task<EventTrackerWebSocket> ConnectWebSocketAsync(EventFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var http = Url(EventTrackerRoutes.WebSocket + new QueryString().Add(filter));
        var ws = new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        return EventTrackerWebSocket.ConnectAsync(ws, Options, cancellationToken);
    }

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

    /// <summary>Sends <paramref name="request"/> (disposing it) and reads the answer, or throws the server's problem.</summary>
    internal async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using (request)
        {
            AddApiKey(request);
            using var response = await _http.SendAsync(request, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            return await response.Content.ReadFromJsonAsync(type, cancellationToken)
                ?? throw new EventTrackerException("The server answered with an empty body.");
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

    /// <summary>Posts a batch body made by <see cref="ToBatchContent"/>.</summary>
    internal Task<BatchTrackEventResponse> PostBatchAsync(BatchContent body, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(body.Bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (body.Compressed)
        {
            content.Headers.ContentEncoding.Add("gzip");
        }

        return SendAsync(new HttpRequestMessage(HttpMethod.Post, Url(EventTrackerRoutes.TrackBatch)) { Content = content }, EventTrackerJsonContext.Default.BatchTrackEventResponse, cancellationToken);
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

    /// <summary>The stream's response, or null after a transient failure (network, 408, 429, 5xx) or cancellation.</summary>
    private async Task<HttpResponseMessage?> TryOpenStreamAsync(StreamFilter? filter, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(EventTrackerRoutes.Stream + new QueryString().Add(filter)));
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        AddApiKey(request);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return null; // the caller backs off, or stops if it was cancelled
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            if (TransientFailure.Is(response.StatusCode))
            {
                return null;
            }

            await EnsureSuccessAsync(response, cancellationToken);
            return null;
        }
    }

    private static async Task<bool> MoveNextOrEndAsync<T>(IAsyncEnumerator<T> items, CancellationToken cancellationToken)
    {
        try
        {
            return await items.MoveNextAsync();
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            // A dropped connection ends this attempt; cancellation ends the enumeration (the caller checks the token).
            return false;
        }
    }

    private async Task<bool> DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, Time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static StreamMessage? ParseStreamMessage(string eventType, ReadOnlySpan<byte> data)
    {
        try
        {
            return JsonSerializer.Deserialize(data, EventTrackerJsonContext.Default.StreamMessage);
        }
        catch (JsonException)
        {
            return null; // not one of ours; skip it
        }
    }

    // A copy: the caller's options are not written to.
    private static EventTrackerClientOptions WithBaseAddress(EventTrackerClientOptions options, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(baseAddress);
        var copy = options.Clone();
        copy.BaseAddress = baseAddress;
        return copy;
    }

    private static EventQuery Copy(EventQuery query) => new()
    {
        ServiceName = query.ServiceName,
        EventName = query.EventName,
        Type = query.Type,
        UserId = query.UserId,
        CorrelationId = query.CorrelationId,
        SessionId = query.SessionId,
        From = query.From,
        To = query.To,
        Limit = query.Limit,
        Cursor = query.Cursor,
    };
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EventTracker.Contracts;

namespace EventTracker.Client;

/// <summary>
/// A typed client for every EventTracker endpoint: each method is one request (or, for <see cref="GetEventsAsync"/> and
/// <see cref="StreamAsync"/>, a sequence of them) and completes with the server's answer. Safe to share across threads.
/// Failures throw <see cref="EventTrackerException"/>: a refusal with the status code and the server's problem
/// details; an unreachable server with the transport error as its inner exception. Transient failures (network
/// errors, 408, 429, 5xx) are retried first, <see cref="EventTrackerClientOptions.MaxRetryAttempts"/> times.
/// For fire-and-forget tracking in batches, use <see cref="IEventTracker"/> (<see cref="BackgroundEventTracker"/>).
/// </summary>
/// <remarks>
/// Made with a <see cref="Uri"/>, the client owns its <see cref="HttpClient"/> (one pooled connection handler per
/// client) and <see cref="Dispose()"/> closes its connections; made over an <see cref="HttpClient"/> (as
/// <c>AddEventTracker</c> does with <c>IHttpClientFactory</c>), disposing it leaves that client alone.
/// </remarks>
public partial class EventTrackerClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseAddress;

    /// <summary>Creates a client of the server at <paramref name="baseAddress"/> with default options.</summary>
    /// <param name="baseAddress">The server, such as <c>http://localhost:3000</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="baseAddress"/> is not an absolute http or https address.</exception>
    public EventTrackerClient(Uri baseAddress)
        : this(baseAddress, new EventTrackerClientOptions())
    {
    }

    /// <summary>Creates a client of the server at <paramref name="baseAddress"/> with its own resilient <see cref="HttpClient"/>.</summary>
    /// <param name="baseAddress">The server, such as <c>http://localhost:3000</c>.</param>
    /// <param name="options">Client settings, copied (later changes to the object do not reach the client); <see cref="EventTrackerClientOptions.BaseAddress"/> is replaced by <paramref name="baseAddress"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public EventTrackerClient(Uri baseAddress, EventTrackerClientOptions options)
        : this(WithBaseAddress(options, baseAddress))
    {
    }

    private EventTrackerClient(EventTrackerClientOptions validatedCopy)
        : this(new HttpClient(EventTrackerResilience.CreateHandler(validatedCopy)) { Timeout = Timeout.InfiniteTimeSpan }, validatedCopy, ownsHttp: true)
    {
    }

    /// <summary>
    /// Creates a client over <paramref name="httpClient"/>, as <c>AddEventTracker</c> does with one from
    /// <c>IHttpClientFactory</c>. Its <see cref="HttpClient.BaseAddress"/>, if set, wins over the options'. The client
    /// does not dispose <paramref name="httpClient"/>.
    /// </summary>
    /// <param name="httpClient">The HTTP client; its handlers decide retries and timeouts.</param>
    /// <param name="options">Client settings, copied (later changes to the object do not reach the client); defaults when null.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public EventTrackerClient(HttpClient httpClient, EventTrackerClientOptions? options = null)
        : this(httpClient, Validated(options ?? new EventTrackerClientOptions()), ownsHttp: false)
    {
    }

    private EventTrackerClient(HttpClient httpClient, EventTrackerClientOptions validatedCopy, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        _ownsHttp = ownsHttp;
        Options = validatedCopy;
        UsesDefaultAddress = httpClient.BaseAddress is null && Options.BaseAddress is null;
        var baseAddress = httpClient.BaseAddress ?? Options.EffectiveBaseAddress;
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

    /// <summary>The client's own copy of its settings; never handed out, so never changed after construction.</summary>
    internal EventTrackerClientOptions Options { get; }

    /// <summary>Whether no address was given, neither in the options nor on the <see cref="HttpClient"/>.</summary>
    internal bool UsesDefaultAddress { get; }

    /// <summary>The pauses between reconnects of a stream and between background retries of a batch.</summary>
    internal RetryBackOff BackOff { get; init; }

    /// <summary>The clock the pauses are waited on.</summary>
    internal TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Sends one event (<c>POST /api/events/track/{eventName}</c>) and waits for the server's answer. A client-made id
    /// goes with it as <c>Idempotency-Key</c>, so a retry after a lost response is not stored twice.
    /// </summary>
    /// <param name="eventName">The event name, 1–200 characters.</param>
    /// <param name="payload">The event's data, not changed; <see cref="EventTrackerClientOptions.ServiceName"/> fills a missing service.</param>
    /// <param name="userId">Sent as <c>X-User-Id</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server's answer, with suggestions for the event's service.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventName"/> is null or empty.</exception>
    /// <exception cref="EventTrackerException">The server refused the event or could not be reached.</exception>
    public virtual Task<TrackEventResponse> SendEventAsync(
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
    /// Sends several events at once (<c>POST /api/events/track-batch</c>) and waits for the server's answer: all are
    /// stored or none. A missing <see cref="BatchTrackEventRequest.BatchId"/> and missing item
    /// <see cref="BatchTrackEventItem.EventId"/>s are sent as client-made ids, the same on every attempt, so a retried
    /// batch is not stored twice; <paramref name="batch"/> itself is not changed.
    /// </summary>
    /// <param name="batch">The events; at most 1,000 by default on the server.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server's answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is null.</exception>
    /// <exception cref="EventTrackerException">The server refused the batch or could not be reached.</exception>
    public virtual Task<BatchTrackEventResponse> SendBatchAsync(BatchTrackEventRequest batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var sent = new BatchTrackEventRequest
        {
            BatchId = batch.BatchId ?? "batch-" + NewId(),
            Events = [.. batch.Events.Select(item => new BatchTrackEventItem { EventName = item.EventName, EventId = item.EventId ?? NewId(), Payload = Stamped(item.Payload) })],
        };
        return PostBatchAsync(ToBatchContent(JsonSerializer.SerializeToUtf8Bytes(sent, EventTrackerJsonContext.Default.BatchTrackEventRequest)), singleAttempt: false, cancellationToken);
    }

    /// <summary>One page of events matching <paramref name="query"/>, newest first (<c>GET /api/events</c>).</summary>
    /// <param name="query">Filters, time range, page size and cursor; all optional.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, with totals and the cursor of the next page.</returns>
    /// <exception cref="EventTrackerException">The server refused the query or could not be reached.</exception>
    public virtual Task<EventsResponse> GetEventsPageAsync(EventQuery? query = null, CancellationToken cancellationToken = default)
    {
        var queryString = new QueryString()
            .Add(query)
            .Add("from", query?.From)
            .Add("to", query?.To)
            .Add("limit", query?.Limit)
            .Add("cursor", query?.Cursor);
        return GetAsync(EventTrackerRoutes.Events + queryString, EventTrackerJsonContext.Default.EventsResponse, cancellationToken);
    }

    /// <summary>
    /// Every event matching <paramref name="query"/>, newest first: one <see cref="GetEventsPageAsync"/> request per
    /// page, following the cursor, as the enumeration goes.
    /// </summary>
    /// <param name="query">Filters and time range; <see cref="EventQuery.Limit"/> sets the page size (default the largest).</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The events.</returns>
    /// <exception cref="EventTrackerException">The server refused the query or could not be reached.</exception>
    public virtual async IAsyncEnumerable<StoredEvent> GetEventsAsync(
        EventQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = query ?? new EventQuery();
        page = page with { Limit = page.Limit ?? EventQuery.MaxLimit };
        do
        {
            var response = await GetEventsPageAsync(page, cancellationToken);
            foreach (var storedEvent in response.Events)
            {
                yield return storedEvent;
            }

            page = page with { Cursor = response.NextCursor };
        }
        while (page.Cursor is not null);
    }

    /// <summary>
    /// Every event of one correlation id (one request or flow across services) in the order they happened, with the
    /// services crossed and the first failing step (<c>GET /api/events/trace/{correlationId}</c>).
    /// </summary>
    /// <param name="correlationId">The correlation id, as in the events' <c>correlationId</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The steps, oldest first, each with its whole event.</returns>
    /// <exception cref="ArgumentException"><paramref name="correlationId"/> is null or empty.</exception>
    /// <exception cref="EventTrackerException">No held event has the id (404), the server refused the query, or it could not be reached.</exception>
    public virtual Task<CorrelationTraceResponse> GetCorrelationTraceAsync(string correlationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(correlationId);
        return GetAsync(EventTrackerRoutes.TracePath(correlationId), EventTrackerJsonContext.Default.CorrelationTraceResponse, cancellationToken);
    }

    /// <summary>Analytics per service (<c>GET /api/events/services</c>).</summary>
    /// <param name="from">Start of the range, inclusive; all held events when null.</param>
    /// <param name="to">End of the range, inclusive; now when null.</param>
    /// <param name="serviceName">Only this service.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Per-service statistics and a summary.</returns>
    /// <exception cref="EventTrackerException">The server refused the query or could not be reached.</exception>
    public virtual Task<ServicesResponse> GetServicesAsync(
        DateTimeOffset? from = null, DateTimeOffset? to = null, string? serviceName = null, CancellationToken cancellationToken = default) =>
        GetAsync(
            EventTrackerRoutes.Services + new QueryString().Add("from", from).Add("to", to).Add("serviceName", serviceName),
            EventTrackerJsonContext.Default.ServicesResponse,
            cancellationToken);

    /// <summary>Statistics of the held events (<c>GET /api/events/statistics</c>).</summary>
    /// <param name="from">Start of the range, inclusive; all held events when null.</param>
    /// <param name="to">End of the range, inclusive; now when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Totals, events per day, top events and a per-service breakdown.</returns>
    /// <exception cref="EventTrackerException">The server refused the query or could not be reached.</exception>
    public virtual Task<EventStatistics> GetStatisticsAsync(
        DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        GetAsync(
            EventTrackerRoutes.Statistics + new QueryString().Add("from", from).Add("to", to),
            EventTrackerJsonContext.Default.EventStatistics,
            cancellationToken);

    /// <summary>Insights the server found: anomalies against each service's own baseline, security and user-experience findings.</summary>
    /// <param name="serviceName">Only about this service.</param>
    /// <param name="type">Only of this type (see <see cref="InsightTypes"/>).</param>
    /// <param name="from">Only insights still seen at or after this time.</param>
    /// <param name="to">Only insights detected at or before this time.</param>
    /// <param name="limit">Most insights (server default 20, at most 200).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Open insights first, then by priority, each with its evidence.</returns>
    /// <exception cref="EventTrackerException">The server refused the query or could not be reached.</exception>
    public virtual Task<InsightsResponse> GetInsightsAsync(
        string? serviceName = null, string? type = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int? limit = null,
        CancellationToken cancellationToken = default) =>
        GetAsync(
            EventTrackerRoutes.Insights
                + new QueryString().Add("serviceName", serviceName).Add("type", type).Add("from", from).Add("to", to).Add("limit", limit),
            EventTrackerJsonContext.Default.InsightsResponse,
            cancellationToken);

    /// <summary>A service's history: volume, errors and response-time percentiles per bucket.</summary>
    /// <param name="serviceName">The service; all services together when null.</param>
    /// <param name="from">Start of the range; 24 hours before <paramref name="to"/> when null.</param>
    /// <param name="to">End of the range; now when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>At most 120 buckets of a round width chosen by the server from the range, oldest first, empty ones included.</returns>
    /// <exception cref="EventTrackerException">The server refused the query or could not be reached.</exception>
    public virtual Task<TimeSeriesResponse> GetServiceTimeSeriesAsync(
        string? serviceName = null, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken cancellationToken = default) =>
        GetAsync(
            EventTrackerRoutes.TimeSeries + new QueryString().Add("serviceName", serviceName).Add("from", from).Add("to", to),
            EventTrackerJsonContext.Default.TimeSeriesResponse,
            cancellationToken);

    /// <summary>Suggestions derived from event patterns.</summary>
    /// <param name="serviceName">Only about this service.</param>
    /// <param name="eventName">Only about services that have this event.</param>
    /// <param name="userId">Only about services this user's events touch.</param>
    /// <param name="limit">Most suggestions (server default 10).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Suggestions, best first, and their context.</returns>
    /// <exception cref="EventTrackerException">The server refused the query or could not be reached.</exception>
    public virtual Task<SuggestionsResponse> GetSuggestionsAsync(
        string? serviceName = null, string? eventName = null, string? userId = null, int? limit = null, CancellationToken cancellationToken = default) =>
        GetAsync(
            EventTrackerRoutes.Suggestions
                + new QueryString().Add("serviceName", serviceName).Add("eventName", eventName).Add("userId", userId).Add("limit", limit),
            EventTrackerJsonContext.Default.SuggestionsResponse,
            cancellationToken);

    /// <summary>Closes the connections of the <see cref="HttpClient"/> this client made; one given to it is left alone.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the client made.</summary>
    /// <param name="disposing">Whether this is <see cref="Dispose()"/> rather than a finalizer.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _ownsHttp)
        {
            _http.Dispose();
        }
    }

    // A copy: the caller's options are not written to, and later changes to them do not reach the client.
    private static EventTrackerClientOptions WithBaseAddress(EventTrackerClientOptions options, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(baseAddress);
        var copy = options.Clone();
        copy.BaseAddress = baseAddress;
        EventTrackerClientOptionsValidator.ThrowIfInvalid(copy, nameof(options));
        return copy;
    }

    private static EventTrackerClientOptions Validated(EventTrackerClientOptions options)
    {
        var copy = options.Clone();
        EventTrackerClientOptionsValidator.ThrowIfInvalid(copy, nameof(options));
        return copy;
    }
}

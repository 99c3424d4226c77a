using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Net.ServerSentEvents;
using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Http;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Validation;
using EventTracker.Server.Streams;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Endpoints;

/// <summary><c>GET /api/events/stream</c> (Server-Sent Events) and <c>/api/events/ws</c> (WebSocket).</summary>
internal static class StreamEndpoints
{
    // How long a WebSocket connection that ended in error is read to its end, so its close frame is not lost to a reset.
    private static readonly TimeSpan CloseLinger = TimeSpan.FromSeconds(2);

    public static void MapStreamEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(EventTrackerRoutes.Stream, StreamAsync)
            .WithTags("Streams")
            .WithName("StreamEvents")
            .WithSummary("Live events as Server-Sent Events: {\"type\":\"event\"|\"stats\"|\"ping\"|\"dropped\",\"data\":…} messages with ids; "
                + "filters as GET /api/events; resume with Last-Event-ID.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireAuthorization(Scopes.Read)
            .RequireRateLimiting(ReadRateLimitPolicy.Name);

        app.Map(EventTrackerRoutes.WebSocket, WebSocketAsync)
            .WithTags("Streams")
            .WithName("WebSocketEvents")
            .WithSummary("Live events over a WebSocket, with filter, track and ping messages from the client.")
            .ExcludeFromDescription()
            .RequireAuthorization(Scopes.Read)
            .RequireRateLimiting(ReadRateLimitPolicy.Name);
    }

    private static async Task StreamAsync(
        HttpContext context, EventBroadcaster broadcaster, TimeProvider time, IOptions<StreamOptions> options, IHostApplicationLifetime lifetime)
    {
        var query = new QueryReader(context.Request, time.GetUtcNow());
        var filter = query.Filter();
        var lastEventId = LastEventId(context.Request, query);
        if (query.Errors.Any)
        {
            await Problems.BadRequest(query.Errors).ExecuteAsync(context);
            return;
        }

        using var subscription = await broadcaster.TrySubscribeAsync(filter, lastEventId, context.RequestAborted);
        if (subscription is null)
        {
            await TooManyConnections(context.Response).ExecuteAsync(context);
            return;
        }

        StreamSocket.LimitSendBuffer(context, options.Value.SocketSendBufferBytes);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no"; // tell proxies such as nginx not to buffer the stream
        await response.Body.FlushAsync(context.RequestAborted);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await SseFormatter.WriteAsync(
                ToSseItems(subscription.ReadAllAsync(stop.Token)),
                new CoalescingStream(response.Body, () => subscription.HasPending),
                static (item, writer) => writer.Write(item.Data.Json),
                stop.Token);
        }
        catch (OperationCanceledException)
        {
            // The reader left or the server is stopping: the response simply ends.
        }
    }

    private static async Task WebSocketAsync(
        HttpContext context, EventBroadcaster broadcaster, EventAdmission admission, TimeProvider time,
        IOptions<StreamOptions> options, IHostApplicationLifetime lifetime, ApiKeyRegistry keys, AllowedOrigins origins)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Problems.BadRequest("Upgrade", "This endpoint takes WebSocket connections only.").ExecuteAsync(context);
            return;
        }

        // CORS does not cover WebSockets: a page from another site could otherwise open one with the user's network access.
        if (!origins.Allows(context.Request.Headers.Origin.ToString()))
        {
            await Problems.Forbidden("Origin", "WebSocket connections from this origin are not allowed (ALLOWED_ORIGINS).").ExecuteAsync(context);
            return;
        }

        var query = new QueryReader(context.Request, time.GetUtcNow());
        var filter = query.Filter();
        if (query.Errors.Any)
        {
            await Problems.BadRequest(query.Errors).ExecuteAsync(context);
            return;
        }

        using var subscription = await broadcaster.TrySubscribeAsync(filter, lastEventId: null, context.RequestAborted);
        if (subscription is null)
        {
            await TooManyConnections(context.Response).ExecuteAsync(context);
            return;
        }

        StreamSocket.LimitSendBuffer(context, options.Value.SocketSendBufferBytes);
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var messages = new WebSocketMessageHandler(subscription, admission, context, context.MayIngest(keys), time);
        using var session = new WebSocketSession(socket, subscription, messages, options.Value.MaxClientMessageBytes, options.Value.WebSocketSendTimeout);
        await session.RunAsync(context.RequestAborted, lifetime.ApplicationStopping);
        if (socket.State != WebSocketState.Closed && context.Features.Get<LingeringUpgrade>() is { } upgrade)
        {
            // The closing handshake did not finish (a protocol error, a client gone or stalled): let our close frame reach
            // the client, and its answer arrive, before the connection ends.
            await upgrade.DrainAsync(CloseLinger);
        }
    }

    /// <summary>
    /// Holds WebSocket connections for <see cref="LingeringUpgrade"/>; goes before <c>UseWebSockets</c>, which reads the
    /// upgrade feature when the request arrives.
    /// </summary>
    public static void UseLingeringWebSocketClose(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.Equals(EventTrackerRoutes.WebSocket, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use((context, next) =>
            {
                LingeringUpgrade.Install(context);
                return next(context);
            }));

    /// <summary>The <c>Last-Event-ID</c> header, or the <c>lastEventId</c> query parameter for clients that cannot set headers.</summary>
    private static long? LastEventId(HttpRequest request, QueryReader query)
    {
        var errors = query.Errors;
        var header = request.Headers["Last-Event-ID"].ToString();
        var value = header.Length > 0 ? header : query.Raw("lastEventId");
        if (value.Length == 0)
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }

        errors.Add(header.Length > 0 ? "Last-Event-ID" : "lastEventId", "Must be the id of a message from this stream.");
        return null;
    }

    private static async IAsyncEnumerable<SseItem<BroadcastMessage>> ToSseItems(IAsyncEnumerable<BroadcastMessage> messages)
    {
        await foreach (var message in messages)
        {
            yield return new SseItem<BroadcastMessage>(message) { EventId = message.Id.ToString(CultureInfo.InvariantCulture) };
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooManyConnections(HttpResponse response) =>
        Problems.TooManyRequests(
            response, "connections", "The server has reached its limit of live stream connections; retry later.", TimeSpan.FromSeconds(5));
}

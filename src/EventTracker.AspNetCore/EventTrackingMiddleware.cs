using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json.Nodes;
using EventTracker.Client;
using EventTracker.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventTracker.AspNetCore;

/// <summary>
/// Tracks each request as <c>api-response-sent</c> (or <c>api-request-failed</c> when the pipeline throws), with the
/// status, duration, route template and a correlation id that is echoed in the <c>X-Correlation-Id</c> response header.
/// Tracking only queues on <see cref="IEventTracker"/>, so it never waits on the tracking server, and a tracking
/// problem never fails the request.
/// </summary>
internal sealed partial class EventTrackingMiddleware
{
    private const string CorrelationHeader = "X-Correlation-Id";
    private readonly RequestDelegate _next;
    private readonly IEventTracker _tracker;
    private readonly EventTrackingOptions _options;
    private readonly ILogger<EventTrackingMiddleware> _logger;
    private readonly TimeProvider _time;

    public EventTrackingMiddleware(
        RequestDelegate next, IEventTracker tracker, IOptions<EventTrackingOptions> options, TimeProvider time, ILogger<EventTrackingMiddleware> logger)
    {
        _next = next;
        _tracker = tracker;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsExcluded(context.Request.Path) || !IsSampled())
        {
            await _next(context);
            return;
        }

        var correlationId = CorrelationIdOf(context);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[CorrelationHeader] = correlationId;
            return Task.CompletedTask;
        });
        if (_options.TrackRequestReceived)
        {
            Track(context, "api-request-received", new AIEventPayload { CorrelationId = correlationId, Metadata = Metadata(context) });
        }

        var started = _time.GetTimestamp();
        try
        {
            await _next(context);
        }
        catch (Exception exception)
        {
            var failed = Payload(context, correlationId, StatusCodes.Status500InternalServerError, started);
            failed.Metadata!["exception"] = exception.GetType().Name;
            Track(context, "api-request-failed", failed);
            throw;
        }

        Track(context, "api-response-sent", Payload(context, correlationId, context.Response.StatusCode, started));
    }

    private bool IsExcluded(PathString path) =>
        _options.ExcludedPaths.Any(excluded => path.StartsWithSegments(excluded, StringComparison.OrdinalIgnoreCase))
        || (Path.GetExtension(path.Value) is { Length: > 0 } extension && _options.ExcludedExtensions.Contains(extension));

    private bool IsSampled() => _options.SampleRate >= 1 || (_options.SampleRate > 0 && _options.Randomizer() < _options.SampleRate);

    /// <summary>The caller's <c>X-Correlation-Id</c>, else the current trace id, else a new id of the same W3C form.</summary>
    private static string CorrelationIdOf(HttpContext context) =>
        context.Request.Headers[CorrelationHeader].ToString() is { Length: > 0 and <= 200 } incoming ? incoming
        : (Activity.Current?.TraceId ?? ActivityTraceId.CreateRandom()).ToHexString();

    private AIEventPayload Payload(HttpContext context, string correlationId, int statusCode, long started) => new()
    {
        CorrelationId = correlationId,
        StatusCode = statusCode,
        ResponseTimeMs = Math.Round(_time.GetElapsedTime(started).TotalMilliseconds, 3),
        UserAgent = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
        Metadata = Metadata(context),
    };

    private static JsonObject Metadata(HttpContext context)
    {
        var metadata = new JsonObject
        {
            ["method"] = context.Request.Method,
            ["path"] = context.Request.Path.Value,
        };
        if ((context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } route)
        {
            metadata["route"] = route.StartsWith('/') ? route : "/" + route;
        }

        return metadata;
    }

    private static string? UserIdOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub") ?? user.Identity.Name
            : null;

    private void Track(HttpContext context, string eventName, AIEventPayload payload)
    {
        try
        {
            if (_options.Enrich is { } enrich && !enrich(context, eventName, payload))
            {
                return;
            }

            _tracker.Track(eventName, payload, UserIdOf(context.User));
        }
#pragma warning disable CA1031 // tracking must never fail the request it describes
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogTrackingFailed(exception, eventName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not track {EventName}")]
    private partial void LogTrackingFailed(Exception exception, string eventName);
}

using System.Text;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Storage;
using EventTracker.Server.Validation;

namespace EventTracker.Benchmarks;

/// <summary>
/// Events shaped like the guide's single-event example: eight services, forty event names, ten thousand users
/// and sessions, a correlation id shared by each request/response pair, and the example's metadata.
/// </summary>
internal static class SeedLikeEvents
{
    public static readonly string[] Services =
        ["web-analytics", "api-gateway", "user-service", "payment-service", "notification-service", "content-service", "search-service", "custom-service"];

    public static NewEvent Create(int i)
    {
        var service = Services[i % Services.Length];
        var name = $"event-{i % 40}";
        var user = $"user-{i % 10_000}";
        var session = $"session-{i % 10_000}";
        var correlation = $"req-{i / 2}";
        var status = i % 50 == 0 ? 500 : 200;
        var responseTime = 20 + (int)((long)i * 7919 % 400);
        var payload = Encoding.UTF8.GetBytes(
            $$$"""{"userAgent":"Mozilla/5.0 (X11; Linux x86_64)","referrer":"https://previous-page.com","sessionId":"{{{session}}}","userRole":"premium-user","correlationId":"{{{correlation}}}","statusCode":{{{status}}},"responseTimeMs":{{{responseTime}}},"serviceName":"{{{service}}}","metadata":{"feature":"authentication","version":"2.1.0","customField":"value"}}""");
        return new NewEvent(name, service, user, session, correlation, status, responseTime, null, payload);
    }

    /// <summary>Event <paramref name="i"/> as the server stores it: parsed and encoded as ingestion would.</summary>
    public static NewEvent Encoded(PayloadCodec codec, int i)
    {
        var raw = Create(i);
        var errors = new ValidationErrors();
        var payload = EventRequestParser.ParsePayload(raw.PayloadJson, EventTimeWindow.Unbounded, errors)!;
        return codec.ToNewEvent(raw.Name, payload, raw.UserId, null);
    }

    /// <summary>A batch request body of <paramref name="count"/> events from <paramref name="first"/> on.</summary>
    public static string BatchBody(int first, int count)
    {
        var events = Enumerable.Range(first, count).Select(i =>
        {
            var e = Create(i);
            return $$"""{"eventName":"{{e.Name}}","payload":{{Encoding.UTF8.GetString(e.PayloadJson)}}}""";
        });
        return $$"""{"events":[{{string.Join(",", events)}}]}""";
    }
}

using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Mcp;

/// <summary>
/// Events that make every MCP tool answer in each shape it has — empty, a first page with a cursor, a last page, a
/// healthy service with and without a window before, a degraded one with open insights, an unknown one, a chain with
/// a failing step and one without — and the calls that ask for each.
/// </summary>
internal static class McpAnswerShapes
{
    /// <summary>One tool call; <see cref="CursorFrom"/> names an earlier call whose <c>nextCursor</c> is passed as <c>cursor</c>.</summary>
    public sealed record Call(string Label, string Tool, Dictionary<string, object?> Arguments, string? CursorFrom = null);

    public static IReadOnlyList<Call> Calls { get; } =
    [
        new("query: no match", "query_events", new() { ["filter"] = new Dictionary<string, object?> { ["serviceName"] = "nobody" } }),
        new("query: first page", "query_events", new() { ["filter"] = new Dictionary<string, object?> { ["serviceName"] = "gateway" }, ["limit"] = 2 }),
        new("query: last page", "query_events", new() { ["filter"] = new Dictionary<string, object?> { ["serviceName"] = "gateway" }, ["limit"] = 2 }, CursorFrom: "query: first page"),
        new("query: over the row limit", "query_events", new() { ["limit"] = 5000 }),
        new("trace: failing step", "trace_correlation", new() { ["correlationId"] = "req-failing" }),
        new("trace: no failing step", "trace_correlation", new() { ["correlationId"] = "req-fine" }),
        new("health: degraded", "get_service_health", new() { ["serviceName"] = "checkout", ["window"] = "5m" }),
        new("health: healthy", "get_service_health", new() { ["serviceName"] = "catalog", ["window"] = "5m" }),
        new("health: new service, no window before", "get_service_health", new() { ["serviceName"] = "gateway", ["window"] = "1h" }),
        new("health: unknown service", "get_service_health", new() { ["serviceName"] = "nobody" }),
        new("insights: open", "get_insights", []),
        new("insights: none of a type", "get_insights", new() { ["type"] = "security" }),
        new("statistics: all", "get_statistics", []),
        new("statistics: empty range", "get_statistics", new() { ["from"] = "2020-01-01T00:00:00Z", ["to"] = "2020-01-02T00:00:00Z" }),
        new("services: all", "list_services", []),
        new("services: empty range", "list_services", new() { ["from"] = "2020-01-01T00:00:00Z", ["to"] = "2020-01-02T00:00:00Z" }),
    ];

    /// <summary>Three steady services for 15 minutes, then checkout eight times slower failing 30 % for 5 minutes; two chains; a new gateway service.</summary>
    public static async Task SeedAsync(HttpClient http, FakeTimeProvider time)
    {
        await CheckoutDegradesAsync(http, time, steadyMinutes: 15, degradedMinutes: 5);

        await http.TrackAsync("api-request-start", """{"serviceName":"gateway","correlationId":"req-failing"}""");
        time.Advance(TimeSpan.FromMilliseconds(40));
        await http.TrackAsync("payment-authorize", """{"serviceName":"payments","correlationId":"req-failing","statusCode":502,"responseTimeMs":35}""");
        await http.TrackAsync("api-error", """{"serviceName":"gateway","correlationId":"req-failing","statusCode":502}""");
        await http.TrackAsync("api-request-start", """{"serviceName":"gateway","correlationId":"req-fine"}""");
        time.Advance(TimeSpan.FromMilliseconds(25));
        await http.TrackAsync("api-request-success", """{"serviceName":"gateway","correlationId":"req-fine","statusCode":200,"responseTimeMs":25}""");
    }

    /// <summary>
    /// Checkout, catalog and search steady for <paramref name="steadyMinutes"/> (20 events a minute each, about 80 ms),
    /// then checkout eight times slower and failing 30 % of the time for <paramref name="degradedMinutes"/>.
    /// </summary>
    public static async Task CheckoutDegradesAsync(HttpClient http, FakeTimeProvider time, int steadyMinutes, int degradedMinutes)
    {
        string[] services = ["checkout", "catalog", "search"];
        var random = new Random(4);
        for (var minute = 0; minute < steadyMinutes + degradedMinutes; minute++)
        {
            var degraded = minute >= steadyMinutes;
            var events = services.SelectMany(service => Enumerable.Range(0, 20).Select(i =>
            {
                var slow = degraded && service == "checkout";
                var ms = (slow ? 8 : 1) * (80 + random.Next(-15, 16));
                var status = slow && i % 10 < 3 ? 503 : 200;
                return $$$"""{"eventName":"api-request","payload":{"serviceName":"{{{service}}}","responseTimeMs":{{{ms}}},"statusCode":{{{status}}}}}""";
            }));
            await http.TrackBatchAsync($$"""{"events":[{{string.Join(",", events)}}]}""");
            time.Advance(TimeSpan.FromMinutes(1));
        }
    }
}

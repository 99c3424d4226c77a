using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventTracker.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

/// <summary><c>GET /api/events/trace/{correlationId}</c>: one correlation id's events in the order they happened.</summary>
public sealed class TraceTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(Start));
    private readonly HttpClient _client;

    public TraceTests() => _client = _factory.CreateClient();

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task A_chain_posted_out_of_order_comes_back_in_event_time_order_with_the_failing_step_marked()
    {
        var t0 = Start.AddSeconds(-10).ToUnixTimeMilliseconds();
        (string Name, string Service, long At, int Status)[] steps =
        [
            ("api-request-start", "gateway", t0, 200),
            ("token-verified", "auth", t0 + 15, 200),
            ("payment-authorize", "payments", t0 + 15, 200), // the same millisecond as the step before, and arrives after it
            ("payment-capture", "payments", t0 + 55, 502),
            ("api-error", "gateway", t0 + 60, 502),
        ];
        foreach (var index in new[] { 3, 1, 4, 0, 2 })
        {
            var (name, service, at, status) = steps[index];
            await _client.TrackAsync(name, $$"""{"serviceName":"{{service}}","correlationId":"req-42","statusCode":{{status}},"timestamp":{{at}}}""");
        }

        await _client.TrackAsync("api-request-start", """{"serviceName":"gateway","correlationId":"req-other"}""");

        var trace = (await _client.GetFromJsonAsync(EventTrackerRoutes.TracePath("req-42"), EventTrackerJsonContext.Default.CorrelationTraceResponse))!;

        Assert.Equal("req-42", trace.CorrelationId);
        Assert.Equal(steps.Select(s => s.Name), trace.Steps.Select(s => s.Event.Name));
        Assert.Equal([1, 2, 3, 4, 5], trace.Steps.Select(s => s.StepNumber));
        Assert.Equal([0L, 15, 15, 55, 60], trace.Steps.Select(s => s.SinceStartMs));
        Assert.Equal([0L, 15, 0, 40, 5], trace.Steps.Select(s => s.GapMs));
        Assert.Equal([false, false, false, true, true], trace.Steps.Select(s => s.IsError));
        Assert.Equal(["gateway", "auth", "payments"], trace.Services);
        Assert.Equal(60, trace.DurationMs);
        Assert.Equal(4, trace.FailingStep);
        Assert.False(trace.Truncated);
    }

    [Fact]
    public async Task Each_step_carries_its_event_as_the_event_query_returns_it()
    {
        await _client.TrackAsync("checkout", """{"serviceName":"shop","correlationId":"req-1","responseTimeMs":12.5,"metadata":{"cart":3}}""", userId: "u-7");
        await _client.TrackAsync("checkout-done", """{"serviceName":"shop","correlationId":"req-1"}""");

        var trace = JsonNode.Parse(await _client.GetStringAsync(EventTrackerRoutes.TracePath("req-1")))!;
        var events = JsonNode.Parse(await _client.GetStringAsync("/api/events?correlationId=req-1"))!["events"]!.AsArray();

        var steps = trace["steps"]!.AsArray();
        Assert.Equal(events.Reverse().Select(e => e!.ToJsonString()), steps.Select(s => s!["event"]!.ToJsonString()));
        Assert.Equal(["stepNumber", "sinceStartMs", "gapMs", "isError", "event"], steps[0]!.AsObject().Select(p => p.Key));
        Assert.Equal(["correlationId", "steps", "durationMs", "services"], trace.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task An_id_no_event_has_is_404_naming_the_correlation_id()
    {
        await _client.TrackAsync("checkout", """{"correlationId":"req-1"}""");

        using var response = await _client.GetAsync(EventTrackerRoutes.TracePath("req-unknown"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("correlationId", out _));
    }

    [Fact]
    public async Task An_id_with_a_slash_is_traced_whole()
    {
        await _client.TrackAsync("checkout", """{"correlationId":"tenant/req-9"}""");

        var trace = (await _client.GetFromJsonAsync(EventTrackerRoutes.TracePath("tenant/req-9"), EventTrackerJsonContext.Default.CorrelationTraceResponse))!;

        Assert.Equal("tenant/req-9", trace.CorrelationId);
        Assert.Single(trace.Steps);
    }
}

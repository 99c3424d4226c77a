using System.Net.Http.Json;
using EventTracker.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

/// <summary>
/// Flows whose end is delivered before their start, as fire-and-forget senders (each event on its own task) deliver
/// them: over HTTP, the end closes the flow when the start arrives, so no finding calls them unfinished.
/// </summary>
public sealed class OutOfOrderFlowTests : IDisposable
{
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)));
    private readonly HttpClient _client;

    public OutOfOrderFlowTests() => _client = _factory.CreateClient();

    private FakeTimeProvider Time => _factory.Time!;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task An_end_that_arrives_before_its_start_closes_the_flow()
    {
        var started = Time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            await _client.TrackAsync("api-response-sent", $$"""{"serviceName":"orders","correlationId":"req-{{i}}","statusCode":200,"responseTimeMs":40,"timestamp":{{started + 40}}}""");
            await _client.TrackAsync("api-request-received", $$"""{"serviceName":"orders","correlationId":"req-{{i}}","timestamp":{{started}}}""");
        }

        Time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(12, (await _client.GetFromJsonAsync<EventsResponse>(EventTrackerRoutes.Events + "?serviceName=orders"))!.Filtered);
        Assert.Empty((await _client.GetSuggestionsAsync("?serviceName=orders")).Suggestions);
        Assert.Empty((await InsightsAsync()).Insights);
    }

    [Fact]
    public async Task Flows_that_really_never_finish_are_still_counted_beside_out_of_order_ones()
    {
        for (var i = 0; i < 4; i++)
        {
            await _client.TrackAsync("api-response-sent", $$"""{"serviceName":"orders","correlationId":"done-{{i}}","statusCode":200}""");
            await _client.TrackAsync("api-request-received", $$"""{"serviceName":"orders","correlationId":"done-{{i}}"}""");
        }

        for (var i = 0; i < 5; i++)
        {
            await _client.TrackAsync("api-request-received", $$"""{"serviceName":"orders","correlationId":"stuck-{{i}}"}""");
        }

        Time.Advance(TimeSpan.FromMinutes(2));

        var suggestion = Assert.Single((await _client.GetSuggestionsAsync("?serviceName=orders")).Suggestions);
        Assert.StartsWith("5 orders flows started with 'api-request-received'", suggestion.Description, StringComparison.Ordinal);
        var insight = Assert.Single((await InsightsAsync()).Insights);
        Assert.Equal(("unfinishedFlows", 5.0), (insight.Evidence.Metric, insight.Evidence.Current));
    }

    [Fact]
    public async Task An_end_far_from_a_later_start_of_the_same_id_does_not_close_it()
    {
        var then = Time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < 5; i++)
        {
            await _client.TrackAsync("api-response-sent", $$"""{"serviceName":"orders","correlationId":"reused-{{i}}","timestamp":{{then}}}""");
        }

        Time.Advance(TimeSpan.FromHours(1));
        for (var i = 0; i < 5; i++)
        {
            await _client.TrackAsync("api-request-received", $$"""{"serviceName":"orders","correlationId":"reused-{{i}}"}""");
        }

        Time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(5.0, Assert.Single((await InsightsAsync()).Insights).Evidence.Current);
    }

    private async Task<InsightsResponse> InsightsAsync() =>
        (await _client.GetFromJsonAsync(EventTrackerRoutes.Insights + "?type=user-experience", EventTrackerJsonContext.Default.InsightsResponse))!;
}

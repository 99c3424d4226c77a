using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

public sealed class AnalyticsTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 8, 25, 23, 0, 0, TimeSpan.Zero);
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(Start));
    private readonly HttpClient _client;

    public AnalyticsTests() => _client = _factory.CreateClient();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Service_stats_count_errors_response_times_and_top_events()
    {
        // 10 checkout calls at 100..1000 ms, two of them 500s; one "payment-failed"; one event without a response time.
        for (var i = 1; i <= 10; i++)
        {
            await _client.TrackAsync("checkout", $$"""{"serviceName":"payment-service","statusCode":{{(i <= 2 ? 500 : 200)}},"responseTimeMs":{{i * 100}}}""");
        }

        await _client.TrackAsync("payment-failed", """{"serviceName":"payment-service"}""");
        _factory.Time!.Advance(TimeSpan.FromSeconds(3));
        await _client.TrackAsync("page-view", """{"serviceName":"web-analytics","responseTimeMs":40}""");
        await _client.TrackAsync("anonymous-thing");

        var response = await _client.GetServicesAsync();

        Assert.Equal(["payment-service", "unknown", "web-analytics"], response.Services.Select(s => s.ServiceName).Order());
        var payment = response.Services[0];
        Assert.Equal("payment-service", payment.ServiceName);
        Assert.Equal(11, payment.EventCount);
        Assert.Equal(2, payment.UniqueEvents);
        Assert.Equal(550, payment.AvgResponseTime);
        Assert.Equal(27.27, payment.ErrorRate); // 3 of 11
        Assert.InRange(payment.P50ResponseTime!.Value, 500 * 0.95, 500 * 1.05);
        Assert.InRange(payment.P95ResponseTime!.Value, 1000 * 0.95, 1000 * 1.05);
        Assert.Equal(Start, payment.LastSeen);
        Assert.Equal("checkout", payment.TopEvents[0].EventName);
        Assert.Equal(10, payment.TopEvents[0].Count);
        Assert.Equal(90.91, payment.TopEvents[0].Percentage);

        var unknown = response.Services.Single(s => s.ServiceName == "unknown");
        Assert.Null(unknown.AvgResponseTime);
        Assert.Null(unknown.P95ResponseTime);

        Assert.Equal(3, response.Summary.TotalServices);
        Assert.Equal(13, response.Summary.TotalEvents);
        Assert.Equal(Math.Round(5540 / 11.0, 2), response.Summary.AvgResponseTime);
        Assert.Equal(23.08, response.Summary.OverallErrorRate); // 3 of 13
    }

    [Fact]
    public async Task Services_can_be_narrowed_to_one_service_and_a_time_range()
    {
        await _client.TrackAsync("old", """{"serviceName":"a"}""");
        _factory.Time!.Advance(TimeSpan.FromHours(2));
        await _client.TrackAsync("new", """{"serviceName":"a"}""");
        await _client.TrackAsync("new", """{"serviceName":"b"}""");

        var recentA = await _client.GetServicesAsync("?serviceName=a&from=1h");
        var allA = await _client.GetServicesAsync("?serviceName=a");

        Assert.Equal(1, Assert.Single(recentA.Services).EventCount);
        Assert.Equal("new", recentA.Services[0].TopEvents.Single().EventName);
        Assert.Equal(2, Assert.Single(allA.Services).EventCount);
        Assert.Equal(1, allA.Summary.TotalServices);
    }

    [Fact]
    public async Task Statistics_count_per_utc_day_event_and_service()
    {
        await _client.TrackAsync("page-view", """{"serviceName":"web-analytics"}""");
        await _client.TrackAsync("page-view", """{"serviceName":"web-analytics"}""");
        _factory.Time!.Advance(TimeSpan.FromHours(1)); // next UTC day
        await _client.TrackAsync("api-call", """{"serviceName":"api-gateway","statusCode":503}""");
        _factory.Time.Advance(TimeSpan.FromDays(1));
        await _client.TrackAsync("page-view", """{"serviceName":"web-analytics"}""");

        var statistics = await _client.GetStatisticsAsync();

        Assert.Equal(4, statistics.TotalEventCount);
        Assert.Equal(2, statistics.TotalUniqueEvents);
        Assert.Equal(2, statistics.TotalServices);
        Assert.Equal([("2025-08-25", 2L), ("2025-08-26", 1L), ("2025-08-27", 1L)], statistics.PerDay.Select(d => (d.Date, d.Count)));
        Assert.Equal("page-view", statistics.TopEvents[0].EventName);
        Assert.Equal(75, statistics.TopEvents[0].Percentage);
        Assert.Equal(["web-analytics", "api-gateway"], statistics.ServiceBreakdown.Select(s => s.ServiceName));
        Assert.Equal(100, statistics.ServiceBreakdown[1].ErrorRate);

        var lastDay = await _client.GetStatisticsAsync("?from=2025-08-27T00:00:00Z");
        Assert.Equal(1, lastDay.TotalEventCount);
        Assert.Equal("2025-08-27", Assert.Single(lastDay.PerDay).Date);
    }

    [Fact]
    public async Task Analytics_of_an_empty_store_are_zero_not_errors()
    {
        var services = await _client.GetServicesAsync();
        var statistics = await _client.GetStatisticsAsync();

        Assert.Empty(services.Services);
        Assert.Equal(0, services.Summary.TotalEvents);
        Assert.Null(services.Summary.AvgResponseTime);
        Assert.Equal(0, statistics.TotalEventCount);
        Assert.Empty(statistics.PerDay);
    }
}

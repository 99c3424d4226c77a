using System.Net.Http.Json;
using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

/// <summary>
/// /services, /statistics and /timeseries with the filters of GET /api/events agree with it: the same events counted the
/// same way, bucket by bucket; with no filter beyond the service they answer from the rollups as before.
/// </summary>
public sealed class FilteredAnalyticsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly long From = Start.ToUnixTimeMilliseconds();
    private static readonly long To = Start.AddHours(2).ToUnixTimeMilliseconds() - 1;

    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(Start));
    private HttpClient _client = null!;

    public static TheoryData<string> Filters => new()
    {
        "userId=u1",
        "errorsOnly=true",
        "statusClass=5xx",
        "type=FAIL",
        "sessionId=s2",
        "statusClass=4xx&serviceName=checkout",
        "errorsOnly=true&userId=u3&type=request",
    };

    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        await SeedAsync(_client, _factory.Time!);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _factory.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Each_time_series_bucket_counts_what_the_event_query_finds_in_it(string filter)
    {
        var series = await GetAsync<TimeSeriesResponse>($"/api/events/timeseries?{filter}&from={From}&to={To}");

        Assert.Equal(60, series.BucketSeconds);
        Assert.False(series.Truncated);
        Assert.True(series.Points.Sum(p => p.Count) > 0, "the filter should match some events");
        var errorsFilter = filter.Contains("errorsOnly", StringComparison.Ordinal) ? filter : filter + "&errorsOnly=true";
        foreach (var point in series.Points)
        {
            var bucket = $"from={point.Start.ToUnixTimeMilliseconds()}&to={point.Start.ToUnixTimeMilliseconds() + 59_999}&limit=1";
            Assert.Equal((await _client.GetEventsAsync($"?{filter}&{bucket}")).Filtered, point.Count);
            Assert.Equal((await _client.GetEventsAsync($"?{errorsFilter}&{bucket}")).Filtered, point.Errors);
        }
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Services_and_statistics_list_exactly_the_matching_events(string filter)
    {
        var services = await GetAsync<ServicesResponse>($"/api/events/services?{filter}");
        var statistics = await GetAsync<EventStatistics>($"/api/events/statistics?{filter}");
        var events = await _client.GetEventsAsync($"?{filter}&limit=1");

        Assert.Equal(events.Services, services.Services.Select(s => s.ServiceName).Order(StringComparer.Ordinal));
        Assert.Equal(events.Filtered, services.Summary.TotalEvents);
        Assert.Equal(events.Filtered, statistics.TotalEventCount);
        Assert.Equal(events.Filtered, statistics.PerDay.Sum(d => d.Count));
        Assert.False(services.Truncated || statistics.Truncated);
        foreach (var service in services.Services)
        {
            var ofService = filter.Contains("serviceName=", StringComparison.Ordinal) ? filter : $"{filter}&serviceName={service.ServiceName}";
            var own = await _client.GetEventsAsync($"?{ofService}&limit=1");
            Assert.Equal(own.Filtered, service.EventCount);
            Assert.Equal(own.Filtered, statistics.ServiceBreakdown.Single(s => s.ServiceName == service.ServiceName).EventCount);
        }
    }

    [Theory]
    [InlineData("/api/events/timeseries", "")]
    [InlineData("/api/events/timeseries", "&serviceName=checkout")]
    [InlineData("/api/events/services", "")]
    [InlineData("/api/events/services", "&serviceName=search")]
    [InlineData("/api/events/statistics", "")]
    [InlineData("/api/events/statistics", "&serviceName=web")]
    public async Task A_filter_matching_every_event_gives_exactly_the_rollups_answer(string path, string service)
    {
        // Every name holds a hyphen: the type filter selects all events, read one by one, and must fold into the same figures.
        var range = $"from={From}&to={To}";

        var fromRollups = await _client.GetStringAsync($"{path}?{range}{service}");
        var fromEvents = await _client.GetStringAsync($"{path}?{range}{service}&type=-");

        Assert.Equal(fromRollups, fromEvents);
        Assert.DoesNotContain("truncated", fromRollups, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statistics_follow_the_service_filter_from_the_rollups()
    {
        var statistics = await GetAsync<EventStatistics>("/api/events/statistics?serviceName=checkout");

        Assert.Equal((await _client.GetEventsAsync("?serviceName=checkout&limit=1")).Filtered, statistics.TotalEventCount);
        Assert.Equal(["checkout"], statistics.ServiceBreakdown.Select(s => s.ServiceName));
    }

    [Fact]
    public async Task An_answer_past_the_bound_says_it_is_truncated_and_covers_the_newest_events()
    {
        // The bound: the errors of the newest minutes, about 50 of them; the same seed gives the same events on both servers.
        var errors = (await _client.GetEventsAsync("?errorsOnly=true&limit=1000")).Events;
        var since = errors[49].Timestamp;
        var bound = errors.Count(e => e.Timestamp >= since);
        Assert.True(errors.Count > bound);
        await using var factory = new TestServerFactory(
            time: new FakeTimeProvider(Start),
            services: services => services.AddSingleton(provider =>
                new FilteredAnalytics(provider.GetRequiredService<IEventStore>(), provider.GetRequiredService<AnalyticsProjection>(), bound)));
        using var client = factory.CreateClient();
        await SeedAsync(client, factory.Time!);

        var series = await client.GetFromJsonAsync($"/api/events/timeseries?errorsOnly=true&from={From}&to={To}", EventTrackerJsonContext.Default.TimeSeriesResponse);
        var services = await client.GetFromJsonAsync("/api/events/services?errorsOnly=true", EventTrackerJsonContext.Default.ServicesResponse);
        var statistics = await client.GetFromJsonAsync("/api/events/statistics?errorsOnly=true", EventTrackerJsonContext.Default.EventStatistics);
        var exactlyTheBound = await client.GetFromJsonAsync($"/api/events/services?errorsOnly=true&from={since}", EventTrackerJsonContext.Default.ServicesResponse);
        var unfiltered = await client.GetFromJsonAsync("/api/events/services", EventTrackerJsonContext.Default.ServicesResponse);

        Assert.True(series!.Truncated);
        Assert.Equal(bound, series.Points.Sum(p => p.Count));
        Assert.Equal(since, series.Points.First(p => p.Count > 0).Start.ToUnixTimeMilliseconds());
        Assert.True(services!.Truncated);
        Assert.Equal(bound, services.Summary.TotalEvents);
        Assert.True(statistics!.Truncated);
        Assert.Equal(bound, statistics.TotalEventCount);
        Assert.False(exactlyTheBound!.Truncated);
        Assert.Equal(bound, exactlyTheBound.Summary.TotalEvents);
        Assert.False(unfiltered!.Truncated);
        Assert.Equal(720, unfiltered.Summary.TotalEvents);
    }

    [Fact]
    public async Task Filters_are_read_and_checked_as_for_the_event_query()
    {
        using var response = await _client.GetAsync("/api/events/services?statusClass=7xx&errorsOnly=perhaps");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal("Must be one of 1xx, 2xx, 3xx, 4xx, 5xx.", errors.GetProperty("statusClass")[0].GetString());
        Assert.Equal("Must be true or false.", errors.GetProperty("errorsOnly")[0].GetString());
    }

    /// <summary>
    /// Two hours of three services, six events a minute: users, sessions and correlation ids in rotation, statuses from
    /// 2xx to 5xx, failing names, response times that differ per event. Each event lands at the start of its minute.
    /// </summary>
    private static async Task SeedAsync(HttpClient client, FakeTimeProvider time)
    {
        string[] services = ["checkout", "search", "web"];
        for (var minute = 0; minute < 120; minute++)
        {
            var events = Enumerable.Range(0, 6).Select(i =>
            {
                var name = i % 5 == 0 ? "payment-failed" : i % 2 == 0 ? "api-request" : "page-view";
                var status = (minute * 7 + i) % 11 == 0 ? 503 : (minute + i) % 7 == 0 ? 404 : (minute + i) % 13 == 0 ? 302 : 200;
                var payload = $$"""{"serviceName":"{{services[(minute + i) % 3]}}","statusCode":{{status}},"responseTimeMs":{{50 + (minute * i % 200)}},"userId":"u{{(minute + i) % 4}}","sessionId":"s{{minute % 5}}","correlationId":"c{{minute}}"}""";
                return $$"""{"eventName":"{{name}}","payload":{{payload}}}""";
            });
            await client.TrackBatchAsync($$"""{"events":[{{string.Join(",", events)}}]}""");
            time.Advance(TimeSpan.FromMinutes(1));
        }
    }

    private async Task<T> GetAsync<T>(string path) =>
        (await _client.GetFromJsonAsync(path, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)EventTrackerJsonContext.Default.GetTypeInfo(typeof(T))!))!;
}

using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

public sealed class QueryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 8, 27, 0, 0, 0, TimeSpan.Zero);
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(Start));
    private HttpClient _client = null!;

    /// <summary>Twelve events one minute apart; event i is at Start + i minutes.</summary>
    public async Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        string[] services = ["user-service", "payment-service", "web-analytics"];
        for (var i = 0; i < 12; i++)
        {
            var service = services[i % 3];
            var payload = $$"""{"serviceName":"{{service}}","sessionId":"s{{i % 2}}","correlationId":"c{{i / 4}}"}""";
            await _client.TrackAsync(i % 4 == 0 ? "user-login" : $"api-call-{i % 4}", payload, userId: $"u{i % 3}");
            _factory.Time!.Advance(TimeSpan.FromMinutes(1));
        }
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task Events_come_newest_first_with_totals_services_and_range()
    {
        var response = await _client.GetEventsAsync();

        Assert.Equal(12, response.Total);
        Assert.Equal(12, response.Filtered);
        Assert.Equal(response.Events.OrderByDescending(e => e.Timestamp).Select(e => e.Id), response.Events.Select(e => e.Id));
        Assert.Equal(["payment-service", "user-service", "web-analytics"], response.Services);
        Assert.Equal(Start, response.TimeRange.From);
        Assert.Equal(Start.AddMinutes(12), response.TimeRange.To);
        Assert.Null(response.NextCursor);
    }

    [Theory]
    [InlineData("?serviceName=payment-service", new[] { 10, 7, 4, 1 })]
    [InlineData("?eventName=user-login", new[] { 8, 4, 0 })]
    [InlineData("?type=API-CALL-2", new[] { 10, 6, 2 })]
    [InlineData("?type=call", new[] { 11, 10, 9, 7, 6, 5, 3, 2, 1 })]
    [InlineData("?userId=u2", new[] { 11, 8, 5, 2 })]
    [InlineData("?correlationId=c1", new[] { 7, 6, 5, 4 })]
    [InlineData("?sessionId=s1", new[] { 11, 9, 7, 5, 3, 1 })]
    [InlineData("?serviceName=user-service&sessionId=s1", new[] { 9, 3 })]
    [InlineData("?type=login&userId=u0", new[] { 0 })]
    [InlineData("?correlationId=c2&type=call&serviceName=web-analytics", new[] { 11 })]
    [InlineData("?serviceName=nobody", new int[0])]
    [InlineData("?type=nothing-like-it", new int[0])]
    [InlineData("?from=2025-08-27T00:05:00Z&to=2025-08-27T00:07:00Z", new[] { 7, 6, 5 })]
    [InlineData("?from=1756253100000&to=1756253220000", new[] { 7, 6, 5 })]
    [InlineData("?from=3m", new[] { 11, 10, 9 })]
    [InlineData("?to=2025-08-27T00:01:30Z&serviceName=payment-service", new[] { 1 })]
    [InlineData("?serviceName=", new[] { 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 })]
    public async Task Each_filter_selects_exactly_the_matching_events(string query, int[] expectedMinutes)
    {
        var response = await _client.GetEventsAsync(query);

        var minutes = response.Events.Select(e => (int)((e.Timestamp - Start.ToUnixTimeMilliseconds()) / 60_000)).ToArray();
        Assert.Equal(expectedMinutes, minutes);
        Assert.Equal(expectedMinutes.Length, response.Filtered);
        Assert.Equal(12, response.Total);
    }

    [Fact]
    public async Task Services_lists_the_services_of_the_matching_events_only()
    {
        var response = await _client.GetEventsAsync("?userId=u0");

        Assert.Equal(["user-service"], response.Services);
    }

    [Theory]
    [InlineData("?limit=5", 5)]
    [InlineData("?limit=0", 1)]
    [InlineData("?limit=50000", 12)]
    public async Task Limit_is_clamped(string query, int expected)
    {
        var response = await _client.GetEventsAsync(query);

        Assert.Equal(expected, response.Events.Count);
        Assert.Equal(12, response.Filtered);
    }

    [Theory]
    [InlineData("")]
    [InlineData("&serviceName=payment-service")]
    [InlineData("&type=call")]
    [InlineData("&sessionId=s1&type=api")]
    [InlineData("&from=2025-08-27T00:03:00Z")]
    public async Task Cursor_pages_through_every_match_once(string filter)
    {
        var all = await _client.GetEventsAsync("?limit=1000" + filter);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _client.GetEventsAsync("?limit=2" + filter + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.Equal(all.Filtered, page.Filtered);
            seen.AddRange(page.Events.Select(e => e.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(all.Events.Select(e => e.Id), seen);
    }

    [Fact]
    public async Task The_cursor_keeps_its_place_while_new_events_arrive()
    {
        var first = await _client.GetEventsAsync("?limit=5");
        await _client.TrackAsync("late-arrival");

        var second = await _client.GetEventsAsync("?limit=5&cursor=" + first.NextCursor);

        Assert.Equal(5, second.Events.Count);
        Assert.Empty(first.Events.Select(e => e.Id).Intersect(second.Events.Select(e => e.Id)));
        Assert.True(second.Events[0].Timestamp <= first.Events[^1].Timestamp);
    }
}

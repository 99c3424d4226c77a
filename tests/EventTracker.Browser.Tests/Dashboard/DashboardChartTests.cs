using System.Globalization;
using Microsoft.Playwright;

namespace EventTracker.Browser.Tests.Dashboard;

/// <summary>The dashboard's cards and charts state the server's own figures, bucket by bucket.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class DashboardChartTests(BrowserFixture fixture) : IAsyncLifetime
{
    private DashboardSession _dashboard = null!;

    public async Task InitializeAsync() => _dashboard = await DashboardSession.StartAsync(fixture.Browser, fixture.TrackerOrigin);

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task A_minute_of_300_events_is_charted_as_the_server_counts_it()
    {
        var service = "chart-" + Guid.NewGuid().ToString("N")[..8];
        var minute = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000).AddMinutes(-2);
        var events = Enumerable.Range(0, 300).Select(i => new
        {
            eventName = i % 3 == 0 ? "checkout" : "page_view",
            payload = new { serviceName = service, statusCode = i % 10 == 0 ? 500 : 200, responseTimeMs = 10 + i, timestamp = minute.AddMilliseconds(i * 199).ToUnixTimeMilliseconds() },
        });
        await _dashboard.PostAsync(events);

        await _dashboard.OpenAsync($"?serviceName={service}&range=15m");

        var series = await _dashboard.RestAsync($"/api/events/timeseries?serviceName={service}&from=15m");
        var points = series.GetProperty("points").EnumerateArray().ToList();
        var seeded = Assert.Single(points, p => p.GetProperty("count").GetInt64() > 0);
        Assert.Equal(300, seeded.GetProperty("count").GetInt64());
        Assert.Equal(30, seeded.GetProperty("errors").GetInt64());
        Assert.Equal(minute, DateTimeOffset.Parse(seeded.GetProperty("start").GetString()!, CultureInfo.InvariantCulture));
        foreach (var point in points)
        {
            await _dashboard.ExpectChartAsync("volume", point.GetProperty("start").GetString()!, point.GetProperty("count").GetInt64());
        }

        await _dashboard.ExpectCardAsync(service, 300);
        await _dashboard.ExpectMatchingAsync(300);
        var inMinute = await _dashboard.RestAsync($"/api/events?serviceName={service}&from={minute.ToUnixTimeMilliseconds()}&to={minute.AddMinutes(1).ToUnixTimeMilliseconds() - 1}&limit=1");
        Assert.Equal(300, inMinute.GetProperty("filtered").GetInt64());
        _dashboard.AssertNoProblems();
    }
}

using System.Text.Json;
using Microsoft.Playwright;

namespace EventTracker.Browser.Tests.Dashboard;

/// <summary>
/// Every filter and the time range, set as a user sets them, change the table, the cards and the charts alike: each
/// states what the REST API answers for the same filter.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class DashboardFilterTests(BrowserFixture fixture) : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private DashboardSession _dashboard = null!;

    public async Task InitializeAsync()
    {
        _dashboard = await DashboardSession.StartAsync(fixture.Browser, fixture.TrackerOrigin);
        var now = DateTimeOffset.UtcNow;
        int[] statuses = [200, 200, 201, 302, 404, 503];
        string[] names = ["signup", "login_failed", "view"];
        await _dashboard.PostAsync(Enumerable.Range(0, 120).Select(i => new
        {
            eventName = $"{names[i % 3]}_{_run}",
            payload = new
            {
                serviceName = $"flt-{_run}-{(i % 4 == 0 ? "a" : "b")}",
                userId = $"u-{_run}-{i % 3}",
                sessionId = $"s-{_run}-{i % 4}",
                correlationId = $"c-{_run}-{i % 5}",
                statusCode = statuses[i % statuses.Length],
                responseTimeMs = 5 + (i * 7 % 300),
                timestamp = now.AddSeconds(-i * 25).ToUnixTimeMilliseconds(), // the last 50 minutes
            },
        }));
    }

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    public static TheoryData<string, string> Filters => new()
    {
        { "serviceName", "flt-{run}-a" },
        { "eventName", "signup_{run}" },
        { "type", "LOGIN_FAILED_{run}" },
        { "userId", "u-{run}-1" },
        { "sessionId", "s-{run}-2" },
        { "correlationId", "c-{run}-3" },
        { "errorsOnly", "true" },
        { "statusClass", "4xx" },
        { "range", "15m" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task A_filter_set_on_the_page_drives_table_cards_and_charts(string field, string template)
    {
        var value = template.Replace("{run}", _run, StringComparison.Ordinal);
        // Narrowed to this run's events first (by name), so the figures are this test's own.
        var baseline = field is "eventName" or "type" ? string.Empty : $"type={_run}";
        await _dashboard.OpenAsync(baseline.Length > 0 ? "?" + baseline : string.Empty);

        var page = _dashboard.Page;
        switch (field)
        {
            case "errorsOnly":
                await page.CheckAsync("#filter-errorsOnly");
                break;
            case "statusClass":
                await page.SelectOptionAsync("#filter-statusClass", value);
                break;
            case "range":
                await page.ClickAsync($"button[data-range='{value}']");
                break;
            default:
                await page.FillAsync("#filter-" + field, value);
                await page.PressAsync("#filter-" + field, "Enter");
                break;
        }

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"[?&]{field}={Uri.EscapeDataString(value)}(&|$)"));
        // The page starts a relative range on a chart bucket's boundary, as the server's time series does.
        var filter = string.Join('&', new[] { baseline, field == "range" ? string.Empty : $"{field}={Uri.EscapeDataString(value)}" }.Where(p => p.Length > 0));
        var series = await _dashboard.RestAsync($"/api/events/timeseries?{filter}&from={(field == "range" ? value : "1h")}");
        var query = $"{filter}&from={Uri.EscapeDataString(series.GetProperty("from").GetString()!)}";
        var events = await _dashboard.RestAsync($"/api/events?{query}&limit=1");
        var services = await _dashboard.RestAsync($"/api/events/services?{query}");
        var all = await _dashboard.RestAsync($"/api/events?{baseline}&limit=1");
        var matching = events.GetProperty("filtered").GetInt64();
        Assert.InRange(matching, 1, all.GetProperty("filtered").GetInt64() - 1); // the filter changed what matches

        await _dashboard.ExpectMatchingAsync(matching);
        await Assertions.Expect(page.Locator(".card")).ToHaveCountAsync(services.GetProperty("services").GetArrayLength());
        foreach (var service in services.GetProperty("services").EnumerateArray())
        {
            await _dashboard.ExpectCardAsync(service.GetProperty("serviceName").GetString()!, service.GetProperty("eventCount").GetInt64());
        }

        foreach (var point in series.GetProperty("points").EnumerateArray().Where(p => p.GetProperty("count").GetInt64() > 0))
        {
            await _dashboard.ExpectChartAsync("volume", point.GetProperty("start").GetString()!, point.GetProperty("count").GetInt64());
        }

        Assert.Equal(matching, series.GetProperty("points").EnumerateArray().Sum(p => p.GetProperty("count").GetInt64()));
        var rows = await _dashboard.RowIdsAsync();
        Assert.Equal(Math.Min(matching, 100), rows.Count);
        _dashboard.AssertNoProblems();
    }
}

using Microsoft.Playwright;
namespace EventTracker.Browser.Tests.Dashboard;

/// <summary>The address is the view: reload, back and forward restore it, and suggestions link to views, not JSON.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class DashboardNavigationTests(BrowserFixture fixture) : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private DashboardSession _dashboard = null!;

    public async Task InitializeAsync() => _dashboard = await DashboardSession.StartAsync(fixture.Browser, fixture.TrackerOrigin);

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Reload_back_and_forward_restore_filters_range_and_the_open_event()
    {
        await _dashboard.PostAsync(Enumerable.Range(0, 6).Select(i => new
        {
            eventName = "nav_" + _run,
            payload = new { serviceName = "nav-svc", userId = $"u{i % 2}-{_run}", timestamp = DateTimeOffset.UtcNow.AddSeconds(-i).ToUnixTimeMilliseconds() },
        }));
        var page = _dashboard.Page;
        await _dashboard.OpenAsync("?type=" + _run);
        await _dashboard.ExpectMatchingAsync(6);

        await page.FillAsync("#filter-userId", "u1-" + _run);
        await page.PressAsync("#filter-userId", "Enter");
        await _dashboard.ExpectMatchingAsync(3);
        await page.ClickAsync("button[data-range='24h']");
        await page.ClickAsync("#events tr");
        var detail = page.Locator("aside[aria-label='Event detail']");
        await Assertions.Expect(detail).ToBeVisibleAsync();

        await page.ReloadAsync();
        await Assertions.Expect(detail).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#filter-userId")).ToHaveValueAsync("u1-" + _run);
        await Assertions.Expect(page.Locator("button[data-range='24h']")).ToHaveAttributeAsync("aria-pressed", "true");
        await _dashboard.ExpectMatchingAsync(3);

        await page.GoBackAsync(); // the detail closes
        await Assertions.Expect(detail).ToHaveCountAsync(0);
        await page.GoBackAsync(); // the range was 1 h
        await Assertions.Expect(page.Locator("button[data-range='1h']")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.GoBackAsync(); // no user filter
        await Assertions.Expect(page.Locator("#filter-userId")).ToHaveValueAsync(string.Empty);
        await _dashboard.ExpectMatchingAsync(6);
        await page.GoForwardAsync();
        await Assertions.Expect(page.Locator("#filter-userId")).ToHaveValueAsync("u1-" + _run);
        await _dashboard.ExpectMatchingAsync(3);
        _dashboard.AssertNoProblems();
    }

    [Fact]
    public async Task A_suggestion_link_lands_on_the_filtered_view_it_stands_for()
    {
        var service = "failing-" + _run;
        await _dashboard.PostAsync(Enumerable.Range(0, 30).Select(i => new
        {
            eventName = "charge",
            payload = new { serviceName = service, statusCode = i % 3 == 0 ? 200 : 503, responseTimeMs = 30 },
        }));
        await Task.Delay(5500); // the server reuses computed suggestions for 5 s

        await _dashboard.OpenAsync("?serviceName=" + service);
        var link = _dashboard.Page.Locator("#suggestions a.suggestion-action", new() { HasText = "View Error Events" });
        await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await link.ClickAsync();

        await Assertions.Expect(_dashboard.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"serviceName={service}.*errorsOnly=true"));
        await Assertions.Expect(_dashboard.Page.Locator("#filter-errorsOnly")).ToBeCheckedAsync();
        await _dashboard.ExpectMatchingAsync(20);
        var statuses = await _dashboard.Page.Locator("#events tr td:nth-child(5)").AllInnerTextsAsync();
        Assert.Equal(20, statuses.Count);
        Assert.All(statuses, s => Assert.Equal("503", s));
        _dashboard.AssertNoProblems();
    }
}

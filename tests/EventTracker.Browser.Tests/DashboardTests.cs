using EventTracker.Browser.Tests.Dashboard;
using EventTracker.Contracts;
using Microsoft.Playwright;

namespace EventTracker.Browser.Tests;

/// <summary>The dashboard at the tracking server's root, and its test-cors.html page.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class DashboardTests : IAsyncLifetime
{
    private readonly BrowserFixture _fixture;
    private DashboardSession _session = null!;
    private IPage _page = null!;

    public DashboardTests(BrowserFixture fixture) => _fixture = fixture;

    public async Task InitializeAsync()
    {
        _session = await DashboardSession.StartAsync(_fixture.Browser, _fixture.TrackerOrigin);
        _page = _session.Page;
    }

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task A_tracked_event_appears_within_two_seconds_without_a_reload()
    {
        await OpenDashboardAsync();

        await _fixture.Client.SendEventAsync("dashboard-live-check", new AIEventPayload { ServiceName = "dash-svc", StatusCode = 200, ResponseTimeMs = 12 });

        await Assertions.Expect(_page.Locator("#events")).ToContainTextAsync("dashboard-live-check", new() { Timeout = 2000 });
        _session.AssertNoProblems();
    }

    [Fact]
    public async Task Event_data_is_shown_as_text_and_never_runs()
    {
        await OpenDashboardAsync();
        const string hostile = "<img src=x onerror=alert(1)>";

        await _fixture.Client.SendEventAsync(hostile, new AIEventPayload { ServiceName = "<b>bold</b>" });

        await Assertions.Expect(_page.Locator("#events")).ToContainTextAsync(hostile, new() { Timeout = 2000 });
        Assert.Equal(0, await _page.Locator("#events img, #events b").CountAsync());
        _session.AssertNoProblems();
    }

    [Fact]
    public async Task Every_suggestion_link_opens_a_dashboard_view()
    {
        for (var i = 0; i < 25; i++)
        {
            await _fixture.Client.SendEventAsync("slow-call", new AIEventPayload { ServiceName = "sluggish-service", ResponseTimeMs = 4000, StatusCode = 503 });
        }

        await Task.Delay(5500); // the server reuses computed suggestions for 5 s
        await OpenDashboardAsync();
        var links = _page.Locator("#suggestions a.suggestion-action");
        await Assertions.Expect(links.First).ToBeVisibleAsync(new() { Timeout = 10_000 });

        var hrefs = await links.EvaluateAllAsync<string[]>("links => links.map(a => a.href)");
        Assert.NotEmpty(hrefs);
        foreach (var href in hrefs)
        {
            // A dashboard view, not the API's JSON: it opens with its table and no error.
            Assert.Equal(_fixture.TrackerOrigin.AbsolutePath, new Uri(href).AbsolutePath);
            await _page.GotoAsync(href);
            await Assertions.Expect(_page.Locator("#events-summary")).ToContainTextAsync("matching events", new() { Timeout = 10_000 });
            Assert.Equal(0, await _page.Locator("[role=alert]").CountAsync());
        }

        _session.AssertNoProblems();
    }

    [Fact]
    public async Task Test_cors_page_passes_all_four_checks_across_origins()
    {
        // The page comes from 127.0.0.1, the API it tests is addressed as localhost: another origin.
        var page = new Uri(_fixture.ServerAddress, "/test-cors.html?api=" + Uri.EscapeDataString(_fixture.TrackerOrigin.ToString()));
        await _page.GotoAsync(page.ToString());

        foreach (var name in new[] { "single", "batch", "retrieval", "stream" })
        {
            await _page.ClickAsync("#test-" + name);
            await Assertions.Expect(_page.Locator("#result-" + name)).ToContainTextAsync("PASS", new() { Timeout = 10_000 });
        }

        _session.AssertNoProblems();
    }

    private async Task OpenDashboardAsync()
    {
        await _page.GotoAsync(_fixture.TrackerOrigin.ToString());
        await Assertions.Expect(_page.Locator("#connection")).ToHaveTextAsync("live", new() { Timeout = 10_000 });
    }
}

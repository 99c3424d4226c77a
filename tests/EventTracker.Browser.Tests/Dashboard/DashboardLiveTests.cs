using Microsoft.Playwright;
namespace EventTracker.Browser.Tests.Dashboard;

/// <summary>History first, then the stream: live rows within 2 s, none while paused, all of them on resume.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class DashboardLiveTests(BrowserFixture fixture) : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private DashboardSession _dashboard = null!;

    public async Task InitializeAsync() => _dashboard = await DashboardSession.StartAsync(fixture.Browser, fixture.TrackerOrigin);

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task The_first_render_holds_history_and_matching_live_events_are_prepended()
    {
        await _dashboard.PostAsync([new { eventName = "history_" + _run, payload = new { serviceName = "live-svc" } }]);

        await _dashboard.OpenAsync("?type=" + _run);
        await Assertions.Expect(_dashboard.Page.Locator("#events tr")).ToHaveCountAsync(1);
        await Assertions.Expect(_dashboard.Page.Locator("#connection")).ToHaveTextAsync("live", new() { Timeout = 10_000 });
        await _dashboard.PostAsync([
            new { eventName = "other_event", payload = new { serviceName = "live-svc" } },
            new { eventName = "arrived_" + _run, payload = new { serviceName = "live-svc" } },
        ]);

        await Assertions.Expect(_dashboard.Page.Locator("#events tr").First).ToContainTextAsync("arrived_" + _run, new() { Timeout = 2000 });
        await Assertions.Expect(_dashboard.Page.Locator("#events tr")).ToHaveCountAsync(2); // the stream has the view's filter
        await _dashboard.ExpectMatchingAsync(2);
        _dashboard.AssertNoProblems();
    }

    [Fact]
    public async Task While_paused_new_events_are_counted_not_shown_and_resume_shows_them()
    {
        await _dashboard.OpenAsync("?type=" + _run);
        await Assertions.Expect(_dashboard.Page.Locator("#connection")).ToHaveTextAsync("live", new() { Timeout = 10_000 });
        await _dashboard.Page.ClickAsync("#pause");

        await _dashboard.PostAsync(Enumerable.Range(0, 3).Select(i => new { eventName = $"paused_{i}_{_run}", payload = new { serviceName = "live-svc" } }));

        await Assertions.Expect(_dashboard.Page.Locator("#held")).ToHaveTextAsync("3 new", new() { Timeout = 2000 });
        await Task.Delay(500);
        await Assertions.Expect(_dashboard.Page.Locator("#events tr")).ToHaveCountAsync(0);
        await _dashboard.Page.ClickAsync("#pause");
        await Assertions.Expect(_dashboard.Page.Locator("#events tr")).ToHaveCountAsync(3);
        await Assertions.Expect(_dashboard.Page.Locator("#held")).ToHaveCountAsync(0);
        _dashboard.AssertNoProblems();
    }
}

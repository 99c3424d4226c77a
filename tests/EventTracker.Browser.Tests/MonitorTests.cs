using System.Text.Json;
using EventTracker.Contracts;
using Microsoft.Playwright;

namespace EventTracker.Browser.Tests;

/// <summary>monitor.js on a page of one origin (127.0.0.1:A) reporting to the tracking server on another (localhost:B).</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class MonitorTests : IAsyncLifetime
{
    private readonly BrowserFixture _fixture;
    private readonly string _service = "page-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _pageErrors = [];
    private readonly List<string> _console = [];
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public MonitorTests(BrowserFixture fixture) => _fixture = fixture;

    public async Task InitializeAsync()
    {
        _context = await _fixture.Browser.NewContextAsync();
        _page = await _context.NewPageAsync();
        _page.PageError += (_, error) => _pageErrors.Add(error);
        _page.Console += (_, message) => _console.Add(message.Text);
    }

    public async Task DisposeAsync() => await _context.CloseAsync();

    [Fact]
    public async Task One_page_view_per_distinct_navigation_and_none_for_a_repeated_url()
    {
        await OpenAsync("<h1>Home</h1>");

        await _page.EvaluateAsync("() => history.pushState({}, '', '/spa/a')");
        await _page.EvaluateAsync("() => history.pushState({}, '', '/spa/b')");
        await _page.EvaluateAsync("() => history.pushState({}, '', '/spa/b')"); // same URL again
        await _page.EvaluateAsync("() => history.replaceState({}, '', '/spa/b')");
        await _page.GoBackAsync(); // to the duplicate /spa/b entry: same URL
        await _page.GoBackAsync(); // to /spa/a
        await _page.EvaluateAsync("() => history.replaceState({}, '', '/spa/c')");
        await _page.EvaluateAsync("() => { location.hash = 'section'; }");
        var views = await WaitForEventsAsync("page-view", 6);

        Assert.Equal(["/" + PagePath, "/spa/a", "/spa/b", "/spa/a", "/spa/c", "/spa/c#section"],
            views.Select(e => new Uri(Url(e)).PathAndQuery + new Uri(Url(e)).Fragment));
        Assert.Equal(["load", "pushState", "pushState", "popstate", "replaceState"], views.Take(5).Select(e => Meta(e, "navigation")));
        Assert.Contains(Meta(views[5], "navigation"), new[] { "popstate", "hashchange" }); // Chromium fires popstate first for a fragment
        await Task.Delay(800);
        Assert.Equal(6, (await EventsAsync("page-view")).Count);
    }

    [Fact]
    public async Task Clicks_on_buttons_links_and_data_track_elements_are_captured_without_changing_them()
    {
        await OpenAsync("""
            <button id="buy" class="primary big">Buy <span id="inner">now</span></button>
            <a id="docs" href="#docs">Docs</a>
            <div data-track="hero-banner" id="hero">Hero</div>
            <p id="plain">Not tracked</p>
            <script>window.clicks = 0; document.getElementById('buy').addEventListener('click', () => window.clicks++);</script>
            """);

        await _page.ClickAsync("#inner");
        await _page.ClickAsync("#docs");
        await _page.ClickAsync("#hero");
        await _page.ClickAsync("#plain");
        var clicks = await WaitForEventsAsync("element-click", 3);

        Assert.Equal(["button#buy", "a#docs", "div#hero"], clicks.Select(e => Meta(e, "selector")));
        Assert.Equal("Buy now", Meta(clicks[0], "text"));
        Assert.Equal("hero-banner", Meta(clicks[2], "track"));
        Assert.Equal(1, await _page.EvaluateAsync<int>("() => window.clicks"));
        Assert.EndsWith("#docs", _page.Url, StringComparison.Ordinal); // the link still navigated
    }

    [Fact]
    public async Task A_form_submission_is_captured_without_any_field_values()
    {
        await OpenAsync("""
            <form id="login" action="/do-login?token=abc123" method="post" onsubmit="return false">
              <input name="user" id="user"><input type="password" name="password" id="password">
              <button type="submit" id="go">Sign in</button>
            </form>
            """);

        await _page.FillAsync("#user", "ada@example.com");
        await _page.FillAsync("#password", "hunter2-secret");
        await _page.ClickAsync("#go");
        var submit = (await WaitForEventsAsync("form-submit", 1))[0];
        var everything = string.Join("\n", (await _fixture.EventsOfAsync(_service)).Select(e => JsonSerializer.Serialize(e, EventTrackerJsonContext.Default.StoredEvent)));

        Assert.Equal(("login", "POST", "3"), (Meta(submit, "formId"), Meta(submit, "method"), Meta(submit, "fieldCount")));
        Assert.Contains("token=***", Meta(submit, "action"), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("ada@example.com", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_and_rejected_promises_are_captured_once_each()
    {
        await OpenAsync("<p>errors</p>");

        await _page.EvaluateAsync("() => { for (let i = 0; i < 3; i++) setTimeout(() => { throw new Error('kaboom'); }, 0); }");
        await _page.EvaluateAsync("() => { Promise.reject(new Error('nope')); }");
        var errors = await WaitForEventsAsync("js-error", 1);
        var rejections = await WaitForEventsAsync("unhandled-rejection", 1);
        await Task.Delay(1500);

        Assert.Contains("kaboom", Meta(errors[0], "message"), StringComparison.Ordinal);
        Assert.Contains("kaboom", Meta(errors[0], "stack"), StringComparison.Ordinal);
        Assert.Equal("nope", Meta(rejections[0], "message"));
        Assert.Single(await EventsAsync("js-error")); // repeats of the same error are collapsed
    }

    [Fact]
    public async Task Fetch_and_xhr_are_recorded_and_the_page_gets_exactly_what_it_would_have()
    {
        await OpenAsync("<p>network</p>");

        var results = await _page.EvaluateAsync<string[]>("""
            async () => {
              const out = [];
              for (const path of ['/app/ok', '/app/missing', '/app/fail']) {
                const response = await fetch(path + '?api_key=s3cret');
                out.push('fetch ' + response.status + ' ' + (response.ok ? JSON.stringify(await response.json()) : ''));
              }
              try { await fetch('http://127.0.0.1:9/unreachable'); out.push('fetch resolved'); }
              catch (e) { out.push('fetch rejected ' + e.constructor.name); }
              for (const path of ['/app/ok', '/app/missing', '/app/fail']) {
                out.push(await new Promise(resolve => {
                  const xhr = new XMLHttpRequest();
                  xhr.open('GET', path);
                  xhr.onload = () => resolve('xhr ' + xhr.status + ' ' + xhr.responseText.length);
                  xhr.send();
                }));
              }
              return out;
            }
            """);
        var requests = await WaitForEventsAsync("network-request", 7);

        Assert.Equal(["fetch 200 {\"answer\":42}", "fetch 404 ", "fetch 500 ", "fetch rejected TypeError", "xhr 200 13", "xhr 404 0", "xhr 500 0"], results);
        Assert.Equal([200, 404, 500, 0, 200, 404, 500], requests.Select(e => e.Payload.StatusCode ?? -1));
        Assert.Equal("true", Meta(requests[3], "failed"));
        Assert.Contains("api_key=***", Meta(requests[0], "url"), StringComparison.Ordinal);
        Assert.All(requests, e => Assert.DoesNotContain("/api/events", Meta(e, "url"), StringComparison.Ordinal));
        Assert.DoesNotContain(await _fixture.EventsOfAsync(_service), e => e.Name == "network-request" && Meta(e, "url")!.Contains("/api/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delivery_needs_no_cors_preflight()
    {
        var before = _fixture.OptionsRequests;
        await OpenAsync("<button id='b'>b</button>");

        await _page.ClickAsync("#b");
        await _page.EvaluateAsync("() => LiveMonitor.track('custom-event', { metadata: { plan: 'pro' } })");
        await WaitForEventsAsync("custom-event", 1);

        Assert.Equal(before, _fixture.OptionsRequests);
        Assert.Equal("pro", Meta((await EventsAsync("custom-event"))[0], "plan"));
    }

    [Fact]
    public async Task The_overlay_opens_on_ctrl_shift_m_and_lists_captured_events()
    {
        await OpenAsync("<button id='b'>b</button>");
        await _page.ClickAsync("#b");
        Assert.Equal(0, await _page.Locator("script[src$='/api/monitor-overlay.js']").CountAsync()); // not loaded until wanted

        await _page.Keyboard.PressAsync("Control+Shift+M");
        var log = _page.Locator("[data-live-monitor] ol[role=log]");

        await Assertions.Expect(log).ToBeVisibleAsync();
        await Assertions.Expect(log).ToContainTextAsync("element-click");
        await Assertions.Expect(log).ToContainTextAsync("page-view");
        await _page.Keyboard.PressAsync("Control+Shift+M");
        await Assertions.Expect(log).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Queued_events_are_beaconed_when_the_page_is_left()
    {
        await OpenAsync("<p>leaving</p>", extraAttributes: "data-batch-interval='600000'");

        await _page.EvaluateAsync("() => LiveMonitor.track('about-to-leave')");
        await _page.GotoAsync("about:blank");

        Assert.Single(await WaitForEventsAsync("about-to-leave", 1));
    }

    [Fact]
    public async Task Batches_are_retried_after_server_errors_and_stored_once()
    {
        await OpenAsync("<p>retry</p>", extraAttributes: "data-batch-interval='600000'");
        await _page.EvaluateAsync("() => LiveMonitor.flush()");
        await WaitForEventsAsync("page-view", 1);
        var posts = _fixture.BatchPosts;
        _fixture.FailNextBatches(3);

        await _page.EvaluateAsync("() => { LiveMonitor.track('must-arrive'); LiveMonitor.flush().catch(() => {}); }");
        var arrived = await WaitForEventsAsync("must-arrive", 1, TimeSpan.FromSeconds(20));
        await Task.Delay(500);

        Assert.Single(arrived);
        Assert.Single(await EventsAsync("must-arrive"));
        Assert.True(_fixture.BatchPosts - posts >= 4, $"{_fixture.BatchPosts - posts} posts");
    }

    [Fact]
    public async Task A_strict_csp_page_raises_no_errors_or_violations()
    {
        var policy = $"default-src 'self'; script-src 'self' {_fixture.TrackerOrigin.GetLeftPart(UriPartial.Authority)}; connect-src {_fixture.TrackerOrigin.GetLeftPart(UriPartial.Authority)} 'self'; style-src 'self'";
        await OpenAsync("<button id='b'>b</button>", policy: policy);

        await _page.ClickAsync("#b");
        await _page.Keyboard.PressAsync("Control+Shift+M");
        await Assertions.Expect(_page.Locator("[data-live-monitor] ol[role=log]")).ToContainTextAsync("element-click");
        await _page.EvaluateAsync("() => fetch('/app/ok')");
        await WaitForEventsAsync("network-request", 1);

        Assert.Empty(_pageErrors);
        Assert.DoesNotContain(_console, message => message.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        Assert.Single(await EventsAsync("element-click"));
    }

    [Fact]
    public async Task Loading_the_script_twice_does_not_double_events()
    {
        await OpenAsync("<button id='b'>b</button>" + _fixture.MonitorTag(_service));

        await _page.ClickAsync("#b");
        await WaitForEventsAsync("element-click", 1);
        await Task.Delay(1200);

        Assert.Single(await EventsAsync("page-view"));
        Assert.Single(await EventsAsync("element-click"));
    }

    [Fact]
    public async Task Calls_queued_before_the_script_loaded_are_replayed_and_identify_sets_the_user()
    {
        await OpenAsync("""<script>window.LiveMonitor = { q: [['identify', 'user-42'], ['track', 'early-bird', { metadata: { n: 1 } }]] };</script>""", before: true);

        var early = (await WaitForEventsAsync("early-bird", 1))[0];

        Assert.Equal("user-42", early.UserId);
    }

    [Fact]
    public async Task Opting_out_stops_capture_until_opting_in_and_is_remembered()
    {
        await OpenAsync("<button id='b'>b</button>");
        await WaitForEventsAsync("page-view", 1);

        await _page.EvaluateAsync("() => LiveMonitor.optOut()");
        await _page.ClickAsync("#b");
        await _page.ReloadAsync();
        await _page.ClickAsync("#b");
        await _page.EvaluateAsync("() => { LiveMonitor.optIn(); LiveMonitor.track('back-in'); LiveMonitor.flush(); }");
        await WaitForEventsAsync("back-in", 1);

        Assert.Empty(await EventsAsync("element-click"));
        Assert.Single(await EventsAsync("page-view")); // the reload happened while opted out
    }

    [Fact]
    public async Task Flush_during_a_send_in_flight_sends_the_rest_right_after_and_resolves_when_acknowledged()
    {
        await OpenAsync("<p>flush</p>", extraAttributes: "data-batch-interval='600000'");

        var elapsed = await _page.EvaluateAsync<double>("""
            async () => {
              const started = performance.now();
              LiveMonitor.track('first-flush');
              const first = LiveMonitor.flush();   // a send is now in flight
              LiveMonitor.track('second-flush');
              await LiveMonitor.flush();           // resolves once 'second-flush' is acknowledged
              await first;
              return performance.now() - started;
            }
            """);

        Assert.InRange(elapsed, 0, 1000);
        Assert.Single(await EventsAsync("first-flush"));
        Assert.Single(await EventsAsync("second-flush"));
        Assert.Equal(0, await _page.EvaluateAsync<int>("() => LiveMonitor.stats().queued"));
    }

    [Fact]
    public async Task Opting_out_keeps_the_events_the_page_asked_to_flush_and_discards_the_rest()
    {
        await OpenAsync("<p>opt</p>", extraAttributes: "data-batch-interval='600000'");

        await _page.EvaluateAsync("""
            async () => {
              LiveMonitor.track('flushed-before-opt-out');
              const flushed = LiveMonitor.flush();
              LiveMonitor.track('queued-at-opt-out');
              LiveMonitor.optOut();
              await flushed;
            }
            """);
        await Task.Delay(500);

        Assert.Single(await EventsAsync("flushed-before-opt-out"));
        Assert.Empty(await EventsAsync("queued-at-opt-out"));
        Assert.Equal(0, await _page.EvaluateAsync<int>("() => LiveMonitor.stats().queued"));
    }

    [Fact]
    public async Task Events_left_from_an_earlier_visit_go_with_the_first_batch_in_one_request()
    {
        var leftover = $$$"""{"q":[{"eventName":"left-from-last-visit","eventId":"{{{Guid.NewGuid()}}}","payload":{"serviceName":"{{{_service}}}"}}]}""";
        await _page.GotoAsync(_fixture.Pages.Add("/" + PagePath, "<!doctype html><html><head><title>T</title></head><body>x</body></html>"));
        await _page.EvaluateAsync("value => localStorage.setItem('lm', value)", leftover);
        var posts = _fixture.BatchPosts;

        await OpenAsync("<p>back</p>", extraAttributes: "data-batch-interval='700'");
        await WaitForEventsAsync("left-from-last-visit", 1);
        await WaitForEventsAsync("page-view", 1);
        await Task.Delay(1000);

        Assert.Equal(1, _fixture.BatchPosts - posts);
    }

    [Fact]
    public async Task Events_tracked_offline_survive_leaving_the_page_and_are_sent_once_on_the_next_visit()
    {
        await OpenAsync("<p>offline</p>", extraAttributes: "data-batch-interval='600000'");
        await _page.EvaluateAsync("() => LiveMonitor.flush()");
        await WaitForEventsAsync("page-view", 1);
        await _context.SetOfflineAsync(true);

        await _page.EvaluateAsync("() => { LiveMonitor.track('tracked-offline'); LiveMonitor.flush().catch(() => {}); }");
        await Task.Delay(300);
        await _page.GotoAsync("about:blank"); // leaving the page offline: no beacon, the queue stays in localStorage
        await _context.SetOfflineAsync(false);

        // Whether it was sent meanwhile is Chromium's business (its offline emulation lets a keepalive request made
        // by a leaving page go out once the network is back); the queue must have survived in any case, and the
        // resend carries the same id, so the event is stored once.
        await OpenAsync("<script>window.leftover = localStorage.getItem('lm');</script>", extraAttributes: "data-batch-interval='600000'", before: true);
        await _page.EvaluateAsync("() => LiveMonitor.flush()");

        Assert.Contains("tracked-offline", await _page.EvaluateAsync<string>("() => window.leftover"), StringComparison.Ordinal);
        Assert.Single(await WaitForEventsAsync("tracked-offline", 1));
        await Task.Delay(500);
        Assert.Single(await EventsAsync("tracked-offline"));
    }

    [Fact]
    public async Task Events_that_failed_while_offline_are_sent_when_the_browser_is_back_online()
    {
        await OpenAsync("<p>flaky network</p>", extraAttributes: "data-batch-interval='600000'");
        await _context.SetOfflineAsync(true);

        await _page.EvaluateAsync("() => { LiveMonitor.track('sent-when-online'); LiveMonitor.flush().catch(() => {}); }");
        await Task.Delay(500);
        Assert.True(await _page.EvaluateAsync<int>("() => LiveMonitor.stats().queued") >= 1);
        await _context.SetOfflineAsync(false);

        Assert.Single(await WaitForEventsAsync("sent-when-online", 1, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_page_restored_from_the_back_forward_cache_counts_a_page_view_without_reloading()
    {
        var chromium = new ChromiumFixture { BackForwardCache = true };
        await chromium.InitializeAsync();
        try
        {
            var page = await (await chromium.Browser.NewContextAsync()).NewPageAsync();
            await page.GotoAsync(_fixture.Pages.Add("/cached", $"<!doctype html><html><head><title>Cached</title>{_fixture.MonitorTag(_service)}</head><body>cached</body></html>"));
            await WaitForEventsAsync("page-view", 1);
            await page.EvaluateAsync("() => { window.sameDocument = true; }");

            await page.GotoAsync(_fixture.Pages.Add("/elsewhere", "<!doctype html><p>elsewhere</p>"));
            await page.GoBackAsync(new PageGoBackOptions { WaitUntil = WaitUntilState.Commit }); // a restore fires no load
            var views = await WaitForEventsAsync("page-view", 2);

            Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded, not restored");
            Assert.Equal(["load", "restore"], views.Select(e => Meta(e, "navigation")));
            Assert.All(views, e => Assert.EndsWith("/cached", Url(e), StringComparison.Ordinal));
        }
        finally
        {
            await chromium.DisposeAsync();
        }
    }

    [Fact]
    public async Task Secrets_in_the_pages_url_its_referrer_and_its_links_are_never_stored()
    {
        var tag = _fixture.MonitorTag(_service);
        var next = _fixture.Pages.Add("/welcome-next", $"<!doctype html><html><head><title>Next</title>{tag}</head><body>next</body></html>");
        var welcome = _fixture.Pages.Add(
            "/welcome",
            $"<!doctype html><html><head><title>Welcome</title>{tag}</head><body><a id='reset' href='{next}?user=ada&reset_token=r3s3t'>next</a></body></html>");

        await _page.GotoAsync(welcome + "?user=ada&password=hunter2#access_token=t0k3n&state=ok");
        await _page.ClickAsync("#reset");
        await WaitForEventsAsync("page-view", 2);
        await WaitForEventsAsync("element-click", 1);

        var stored = string.Join("\n", (await _fixture.EventsOfAsync(_service)).Select(e => JsonSerializer.Serialize(e, EventTrackerJsonContext.Default.StoredEvent)));
        Assert.DoesNotContain("hunter2", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("t0k3n", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("r3s3t", stored, StringComparison.Ordinal);
        Assert.Contains("user=ada", stored, StringComparison.Ordinal);
        Assert.Contains("state=ok", stored, StringComparison.Ordinal);
        var nextView = (await EventsAsync("page-view")).Single(e => Url(e).Contains("welcome-next", StringComparison.Ordinal));
        Assert.Contains("/welcome?", nextView.Payload.Referrer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strip_query_records_urls_without_query_or_fragment()
    {
        await _page.GotoAsync(_fixture.Pages.Add("/" + PagePath,
            $"<!doctype html><html><head><title>Test</title>{_fixture.MonitorTag(_service, "data-strip-query")}</head><body>x</body></html>") + "?campaign=spring&email=ada%40example.com#top");

        var view = Assert.Single(await WaitForEventsAsync("page-view", 1));

        Assert.Equal(new Uri(_fixture.Pages.Origin, "/" + PagePath).ToString(), Url(view));
    }

    private const string PagePath = "page";

    /// <summary>Opens /page with the monitor in its head (tests of this group run one at a time, so they can share the path).</summary>
    private async Task OpenAsync(string body, string extraAttributes = "", string? policy = null, bool before = false)
    {
        var tag = _fixture.MonitorTag(_service, extraAttributes);
        var html = $"<!doctype html><html><head><title>Test</title>{(before ? body : "")}{tag}</head><body>{(before ? "" : body)}</body></html>";
        await _page.GotoAsync(_fixture.Pages.Add("/" + PagePath, html, policy));
    }

    private Task<List<StoredEvent>> EventsAsync(string name) =>
        _fixture.EventsOfAsync(_service).ContinueWith(t => t.Result.Where(e => e.Name == name).ToList(), TaskScheduler.Default);

    private async Task<List<StoredEvent>> WaitForEventsAsync(string name, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        List<StoredEvent> events;
        while ((events = await EventsAsync(name)).Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(events.Count >= count, $"{events.Count} of {count} '{name}' events arrived");
        return events;
    }

    private static string Url(StoredEvent e) => e.Payload.AdditionalProperties!["url"].GetString()!;

    private static string? Meta(StoredEvent e, string key) =>
        e.Payload.Metadata?[key] is { } node ? (node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString()) : null;
}

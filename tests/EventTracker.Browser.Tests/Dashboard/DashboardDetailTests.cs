using Microsoft.Playwright;
namespace EventTracker.Browser.Tests.Dashboard;

/// <summary>A row opens its event with every field and its payload; a correlation id opens as a waterfall; data stays text.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class DashboardDetailTests(BrowserFixture fixture) : IAsyncLifetime
{
    private const string Hostile = "<img src=x onerror=alert(1)>";
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private DashboardSession _dashboard = null!;

    public async Task InitializeAsync() => _dashboard = await DashboardSession.StartAsync(fixture.Browser, fixture.TrackerOrigin);

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task A_row_opens_its_detail_with_the_payload_and_escape_closes_it()
    {
        await _dashboard.PostAsync([new
        {
            eventName = "cart_updated_" + _run,
            payload = new { serviceName = "detail-svc", userId = "u-" + _run, sessionId = "s-" + _run, correlationId = "c-" + _run, statusCode = 201, responseTimeMs = 42.5, metadata = new { route = "/cart/{id}", items = new[] { new { sku = "sku-" + _run, qty = 2 } } } },
        }]);
        await _dashboard.OpenAsync("?type=" + _run);

        await _dashboard.Page.ClickAsync("#events tr");

        var pane = _dashboard.Page.Locator("aside[aria-label='Event detail']");
        await Assertions.Expect(pane).ToBeVisibleAsync();
        await Assertions.Expect(_dashboard.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]event=evt"));
        foreach (var text in new[] { "cart_updated_" + _run, "detail-svc", "u-" + _run, "s-" + _run, "c-" + _run, "201", "43 ms", "responseTimeMs: 42.5", "\"/cart/{id}\"", "\"sku-" + _run + "\"" })
        {
            await Assertions.Expect(pane).ToContainTextAsync(text);
        }

        await Assertions.Expect(pane.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "This user" })).ToHaveAttributeAsync("href", $"?userId=u-{_run}");
        await Assertions.Expect(pane.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "This correlation" })).ToHaveAttributeAsync("href", $"?type={_run}&trace=c-{_run}");
        await _dashboard.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await pane.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Copy as JSON" }).ClickAsync();
        await Assertions.Expect(pane.GetByRole(Microsoft.Playwright.AriaRole.Status)).ToHaveTextAsync("Copied.");
        using (var copied = System.Text.Json.JsonDocument.Parse(await _dashboard.Page.EvaluateAsync<string>("() => navigator.clipboard.readText()")))
        {
            Assert.Equal("cart_updated_" + _run, copied.RootElement.GetProperty("name").GetString());
            Assert.Equal("sku-" + _run, copied.RootElement.GetProperty("payload").GetProperty("metadata").GetProperty("items")[0].GetProperty("sku").GetString());
        }

        await pane.FocusAsync();
        await _dashboard.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(pane).ToHaveCountAsync(0);
        await Assertions.Expect(_dashboard.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"\\?type={_run}$"));
        _dashboard.AssertNoProblems();
    }

    [Fact]
    public async Task The_keyboard_moves_between_rows_and_opens_one()
    {
        var now = DateTimeOffset.UtcNow;
        await _dashboard.PostAsync(Enumerable.Range(0, 3).Select(i => new
        {
            eventName = $"key_{i}_{_run}",
            payload = new { serviceName = "key-svc", timestamp = now.AddSeconds(-i).ToUnixTimeMilliseconds() },
        }));
        await _dashboard.OpenAsync("?type=" + _run);

        await _dashboard.Page.Locator("#events tr").First.FocusAsync();
        await _dashboard.Page.Keyboard.PressAsync("ArrowDown");
        await _dashboard.Page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(_dashboard.Page.Locator("aside[aria-label='Event detail'] h2")).ToHaveTextAsync("key_1_" + _run);
        _dashboard.AssertNoProblems();
    }

    [Fact]
    public async Task A_correlation_is_a_waterfall_in_event_time_order_with_the_failed_step_marked()
    {
        var id = "trace-" + _run;
        var start = DateTimeOffset.UtcNow.AddMinutes(-3);
        (string Service, string Name, int Status, double Ms, int AtMs)[] chain =
        [
            ("web", "page_view", 200, 40, 0), ("checkout-api", "checkout_started", 200, 120, 300), ("auth", "token_checked", 200, 15, 450),
            ("payments", "payment_failed", 502, 900, 500), ("web", "error_shown", 200, 5, 1450),
        ];
        // Arriving out of order: the failing step first, the first step last.
        await _dashboard.PostAsync(new[] { 3, 1, 4, 2, 0 }.Select(i => new
        {
            eventName = chain[i].Name,
            payload = new { serviceName = chain[i].Service, correlationId = id, statusCode = chain[i].Status, responseTimeMs = chain[i].Ms, timestamp = start.AddMilliseconds(chain[i].AtMs).ToUnixTimeMilliseconds() },
        }));

        await _dashboard.Page.GotoAsync(new Uri(_dashboard.Origin, "/?trace=" + id).ToString());

        var steps = _dashboard.Page.Locator(".waterfall li");
        await Assertions.Expect(steps).ToHaveCountAsync(5);
        Assert.Equal(chain.Select(c => c.Name), await steps.Locator(".step-name").AllInnerTextsAsync());
        Assert.Equal(["1", "2", "3", "4", "5"], await steps.EvaluateAllAsync<string[]>("steps => steps.map(s => s.dataset.step)"));
        var failed = _dashboard.Page.Locator(".waterfall li.failed");
        await Assertions.Expect(failed).ToHaveCountAsync(1);
        await Assertions.Expect(failed).ToHaveAttributeAsync("data-step", "4");
        await Assertions.Expect(failed).ToContainTextAsync("payment_failed");
        await Assertions.Expect(failed).ToContainTextAsync("gap 50 ms");
        await Assertions.Expect(_dashboard.Page.Locator(".trace .summary")).ToContainTextAsync("step 4 failed");

        var rest = await _dashboard.RestAsync("/api/events/trace/" + id);
        Assert.Equal(chain.Select(c => c.Name), rest.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("event").GetProperty("name").GetString()));
        Assert.Equal(4, rest.GetProperty("failingStep").GetInt32());
        _dashboard.AssertNoProblems();
    }

    [Fact]
    public async Task Markup_in_any_field_stays_text_in_the_table_the_detail_and_the_trace()
    {
        await _dashboard.PostAsync([new
        {
            eventName = Hostile + _run,
            payload = new { serviceName = Hostile, userId = Hostile, sessionId = Hostile, correlationId = "x-" + _run, statusCode = 500, metadata = new { note = Hostile, nested = new { deeper = Hostile } } },
        }]);
        await _dashboard.OpenAsync("?type=" + Uri.EscapeDataString(_run));
        await Assertions.Expect(_dashboard.Page.Locator("#events")).ToContainTextAsync(Hostile + _run);

        await _dashboard.Page.ClickAsync("#events tr");
        var pane = _dashboard.Page.Locator("aside[aria-label='Event detail']");
        await Assertions.Expect(pane).ToContainTextAsync("\"" + Hostile + "\"");
        await pane.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "This correlation" }).ClickAsync();
        await Assertions.Expect(_dashboard.Page.Locator(".waterfall li")).ToContainTextAsync(Hostile);
        await _dashboard.Page.GotoAsync(new Uri(_dashboard.Origin, "/?serviceName=" + Uri.EscapeDataString(Hostile)).ToString());
        await Assertions.Expect(_dashboard.Page.Locator(".card h3")).ToContainTextAsync(Hostile);

        Assert.Equal(0, await _dashboard.Page.Locator("img").CountAsync());
        _dashboard.AssertNoProblems();
    }
}

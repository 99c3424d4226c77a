using System.Text.RegularExpressions;
using EventTracker.Server.Tests;
using Microsoft.Playwright;

namespace EventTracker.Browser.Tests.Dashboard;

/// <summary>
/// An insight reaches an open dashboard through the stream (this server sends no stats ticks, so nothing else reloads
/// the page), with its evidence, and links to the view that shows its service's degradation.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class DashboardInsightTests(BrowserFixture fixture) : IAsyncLifetime
{
    private const string Service = "insight-svc";
    private const int Failures = 24;
    private TestServerFactory _server = null!;
    private DashboardSession _dashboard = null!;

    public async Task InitializeAsync()
    {
        _server = new TestServerFactory(
            new Dictionary<string, string?>
            {
                ["EventTracker:Insights:Window"] = "00:01:00",
                ["EventTracker:Insights:BaselineWindows"] = "5",
                ["EventTracker:Insights:MinBaselineWindows"] = "3",
                ["EventTracker:Insights:EvaluationInterval"] = "00:00:01",
                ["EventTracker:Streams:StatsInterval"] = "01:00:00",
            },
            kestrel: true);
        _dashboard = await DashboardSession.StartAsync(fixture.Browser, _server.ClientOptions.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_new_insight_appears_live_with_its_evidence_and_links_to_the_degradation()
    {
        var minute = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000);
        // Six quiet minutes (one or two errors in 30) up to the current one.
        await _dashboard.PostAsync(Enumerable.Range(1, 6).SelectMany(back => Enumerable.Range(0, 30).Select(i => new
        {
            eventName = "charge",
            payload = new { serviceName = Service, statusCode = i == 0 || (i == 1 && back % 2 == 0) ? 500 : 200, responseTimeMs = 40, timestamp = minute.AddMinutes(-back).AddSeconds(i * 1.5).ToUnixTimeMilliseconds() },
        })));
        await _dashboard.OpenAsync("?serviceName=" + Service);
        await Assertions.Expect(_dashboard.Page.Locator("#connection")).ToHaveTextAsync("live", new() { Timeout = 10_000 });
        await Assertions.Expect(_dashboard.Page.Locator(".insights h2")).ToBeVisibleAsync();
        // Where the quiet minutes fall against the clock's minute, a traffic insight may be open already; none about errors.
        var insight = _dashboard.Page.Locator(".insight", new() { HasText = "fails" });
        await Assertions.Expect(insight).ToHaveCountAsync(0);

        await _dashboard.PostAsync(Enumerable.Range(0, 40).Select(i => new
        {
            eventName = "charge",
            payload = new { serviceName = Service, statusCode = i < Failures ? 503 : 200, responseTimeMs = 40 },
        }));

        await Assertions.Expect(insight).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(insight.Locator(".evidence figcaption")).ToContainTextAsync("errorRatePercent");
        await Assertions.Expect(insight.Locator(".evidence figcaption")).ToContainTextAsync("samples");
        await Assertions.Expect(insight.Locator(".recommendations li").First).ToBeVisibleAsync();
        await Assertions.Expect(insight.Locator(".priority")).ToHaveTextAsync(new Regex("^[0-9]+$"));

        await insight.Locator("a.insight-link").ClickAsync();

        await Assertions.Expect(_dashboard.Page).ToHaveURLAsync(new Regex($"page=service.*serviceName={Service}.*errorsOnly=true"));
        var query = new Uri(_dashboard.Page.Url).Query.TrimStart('?');
        var from = Regex.Match(query, "from=([^&]+)").Groups[1].Value;
        var to = Regex.Match(query, "to=([^&]+)").Groups[1].Value;
        var series = await _dashboard.RestAsync($"/api/events/timeseries?serviceName={Service}&errorsOnly=true&from={from}&to={to}");
        var worst = series.GetProperty("points").EnumerateArray().MaxBy(p => p.GetProperty("count").GetInt64());
        Assert.Equal(Failures, worst.GetProperty("count").GetInt64());
        await _dashboard.ExpectChartAsync("volume", worst.GetProperty("start").GetString()!, Failures);
        await Assertions.Expect(_dashboard.Page.Locator(".service-page > h2")).ToHaveTextAsync(Service);
        _dashboard.AssertNoProblems();
    }
}

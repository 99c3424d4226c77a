using System.Net.Http.Json;
using EventTracker.Contracts;
using EventTracker.Server.Tests;
using Microsoft.Playwright;

namespace EventTracker.Browser.Tests;

/// <summary>A tracking server with API keys: monitor.js with its public ingest key, and the dashboard with a read key.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class KeyedServerTests : IAsyncLifetime
{
    private const string IngestKey = "page-ingest-key-0123456789";
    private const string ReadKey = "dashboard-read-key-0123456789";
    private readonly BrowserFixture _fixture;
    private readonly string _service = "keyed-" + Guid.NewGuid().ToString("N")[..8];
    private TestServerFactory _server = null!;
    private Uri _trackerOrigin = null!;
    private HttpClient _reader = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public KeyedServerTests(BrowserFixture fixture) => _fixture = fixture;

    public async Task InitializeAsync()
    {
        _server = new TestServerFactory(
            new Dictionary<string, string?>
            {
                ["EventTracker:Auth:Keys:0:Name"] = "pages",
                ["EventTracker:Auth:Keys:0:Key"] = IngestKey,
                ["EventTracker:Auth:Keys:0:Scopes:0"] = "ingest",
                ["EventTracker:Auth:Keys:0:AllowedOrigins:0"] = _fixture.Pages.Origin.GetLeftPart(UriPartial.Authority),
                ["EventTracker:Auth:Keys:1:Name"] = "dashboard",
                ["EventTracker:Auth:Keys:1:Key"] = ReadKey,
                ["EventTracker:Auth:Keys:1:Scopes:0"] = "read",
            },
            kestrel: true);
        _trackerOrigin = new UriBuilder(_server.ClientOptions.BaseAddress) { Host = "localhost" }.Uri;
        _reader = _server.CreateClient();
        _reader.DefaultRequestHeaders.Add("X-API-Key", ReadKey);
        _context = await _fixture.Browser.NewContextAsync();
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        _reader.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Monitor_js_sends_its_key_from_another_origin_in_batches_and_beacons()
    {
        await OpenPageAsync("with-key", $"data-api-key='{IngestKey}' data-batch-interval='500'");
        await WaitForAsync("page-view", 1);

        await _page.GotoAsync(_fixture.Pages.Add("/keyed-leaving", PageHtml($"data-api-key='{IngestKey}' data-batch-interval='600000'")));
        await _page.EvaluateAsync("() => LiveMonitor.track('left-by-beacon')");
        await _page.GotoAsync("about:blank");

        await WaitForAsync("left-by-beacon", 1);
    }

    [Fact]
    public async Task Without_the_key_the_monitor_stores_nothing()
    {
        await OpenPageAsync("without-key", "data-batch-interval='600000'");

        var outcome = await _page.EvaluateAsync<string>("() => LiveMonitor.flush().then(() => 'resolved', () => 'rejected')");

        Assert.Equal("rejected", outcome);
        Assert.Empty(await EventsAsync());
    }

    [Fact]
    public async Task The_dashboard_asks_for_a_read_key_and_then_goes_live()
    {
        await _page.GotoAsync(_trackerOrigin.ToString());
        await Assertions.Expect(_page.Locator("#key-form")).ToBeVisibleAsync(new() { Timeout = 10_000 });

        await _page.FillAsync("#api-key", ReadKey);
        await _page.ClickAsync("#key-form button");
        await Assertions.Expect(_page.Locator("#connection")).ToHaveTextAsync("live", new() { Timeout = 10_000 });
        using var writer = _server.CreateClient();
        writer.DefaultRequestHeaders.Add("X-API-Key", IngestKey);
        (await writer.PostAsJsonAsync("/api/events/track/keyed-dashboard-check", new AIEventPayload { ServiceName = _service }, EventTrackerJsonContext.Default.AIEventPayload)).EnsureSuccessStatusCode();

        await Assertions.Expect(_page.Locator("#events")).ToContainTextAsync("keyed-dashboard-check", new() { Timeout = 2000 });
    }

    private async Task OpenPageAsync(string path, string attributes) =>
        await _page.GotoAsync(_fixture.Pages.Add("/keyed-" + path, PageHtml(attributes)));

    private string PageHtml(string attributes) =>
        $"""<!doctype html><html><head><title>Keyed</title><script src="{_trackerOrigin}api/monitor.js" data-service-name="{_service}" {attributes}></script></head><body><p>keyed</p></body></html>""";

    private async Task<List<StoredEvent>> EventsAsync() =>
        [.. (await _reader.GetFromJsonAsync("/api/events?limit=1000&serviceName=" + _service, EventTrackerJsonContext.Default.EventsResponse))!.Events];

    private async Task WaitForAsync(string name, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await EventsAsync()).Count(e => e.Name == name) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True((await EventsAsync()).Count(e => e.Name == name) >= count, $"'{name}' did not arrive");
    }
}

using EventTracker.Client;
using EventTracker.Contracts;
using EventTracker.Server.Tests;

namespace EventTracker.Browser.Tests;

/// <summary>The guide's vanilla JavaScript EventTracker class, pasted unchanged, against our server on its default port.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class SeedSnippetTests
{
    private readonly BrowserFixture _fixture;

    public SeedSnippetTests(BrowserFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task The_guides_vanilla_tracker_stores_its_events_on_our_server()
    {
        // The snippet hard-codes http://localhost:3000, so this server takes that port; the page is on another origin.
        await using var server = new TestServerFactory(kestrel: true, port: 3000);
        var client = new EventTrackerClient(server.ClientOptions.BaseAddress);
        var snippet = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "SeedVanillaTracker.js"));
        var url = _fixture.Pages.Add("/seed-snippet", $"<!doctype html><html><head><title>Seed</title></head><body><button id='cta'>Start</button><script>{snippet}</script></body></html>");
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(url);
        await page.ClickAsync("#cta");
        List<StoredEvent> events = [];
        for (var i = 0; i < 100 && events.Count < 2; i++)
        {
            events = (await client.GetEventsPageAsync(new EventQuery { ServiceName = "web-analytics" })).Events.ToList();
            await Task.Delay(100);
        }

        Assert.Equal(["element-click", "page-view"], events.Select(e => e.Name).Order());
        Assert.All(events, e => Assert.Equal("anonymous", e.UserId));
        var click = events.Single(e => e.Name == "element-click");
        Assert.Equal("Start", click.Payload.Metadata!["text"]!.GetValue<string>());
        Assert.StartsWith("session-", click.Payload.SessionId, StringComparison.Ordinal);
    }
}

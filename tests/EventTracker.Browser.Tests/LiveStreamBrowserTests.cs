using System.Net.Http.Json;
using System.Text.Json;
using EventTracker.Server.Tests;
using Microsoft.Playwright;

namespace EventTracker.Browser.Tests;

/// <summary>The live streams as a browser uses them: the guide's EventSource snippet and a WebSocket.</summary>
public sealed class LiveStreamBrowserTests : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private readonly ChromiumFixture _chromium;
    private readonly TestServerFactory _server = new(kestrel: true);
    private HttpClient _client = null!;
    private IPage _page = null!;

    public LiveStreamBrowserTests(ChromiumFixture chromium) => _chromium = chromium;

    public async Task InitializeAsync()
    {
        _client = _server.CreateClient();
        _page = await _chromium.Browser.NewPageAsync();
        await _page.GotoAsync(new Uri(_client.BaseAddress!, "/healthz").ToString()); // any page of the server's origin
    }

    public async Task DisposeAsync()
    {
        await _page.CloseAsync();
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task The_guides_event_source_snippet_receives_tracked_events_through_onmessage()
    {
        await _page.EvaluateAsync("""
            () => new Promise(resolve => {
              window.received = [];
              window.statistics = [];
              const processEventForAI = data => window.received.push(data);
              const updateModelStatistics = data => window.statistics.push(data);

              // As written in the guide:
              const eventSource = new EventSource('/api/events/stream');

              eventSource.onmessage = function(event) {
                const streamEvent = JSON.parse(event.data);

                switch(streamEvent.type) {
                  case 'event':
                    // Process new event for real-time AI
                    processEventForAI(streamEvent.data);
                    break;
                  case 'stats':
                    // Update ML model with new statistics
                    updateModelStatistics(streamEvent.data);
                    break;
                }
              };
              eventSource.onopen = () => resolve();
            })
            """);

        await Track("user-login", "user-service");
        await _page.WaitForFunctionAsync("() => window.received.length >= 1", null, new() { Timeout = 10_000 });

        var received = await _page.EvaluateAsync<JsonElement>("() => window.received");
        Assert.Equal("user-login", received[0].GetProperty("name").GetString());
        Assert.Equal("user-service", received[0].GetProperty("serviceName").GetString());
    }

    [Fact]
    public async Task A_browser_websocket_filter_receives_only_matching_events()
    {
        await _page.EvaluateAsync("""
            () => new Promise(resolve => {
              window.messages = [];
              const ws = new WebSocket('ws://' + location.host + '/api/events/ws');
              ws.onmessage = (event) => {
                const data = JSON.parse(event.data);
                window.messages.push(data);
                if (data.type === 'filter') resolve();
              };
              ws.onopen = () => ws.send(JSON.stringify({ type: 'filter', serviceName: 'payment-service' }));
            })
            """);

        await Track("page-view", "web-analytics");
        await Track("charge", "payment-service");
        await Track("search", "search-service");
        await Track("refund", "payment-service");
        await _page.WaitForFunctionAsync("() => window.messages.filter(m => m.type === 'event').length >= 2", null, new() { Timeout = 10_000 });

        var events = (await _page.EvaluateAsync<JsonElement>("() => window.messages.filter(m => m.type === 'event').map(m => m.data)"))
            .EnumerateArray().ToList();
        Assert.Equal(["charge", "refund"], events.Select(e => e.GetProperty("name").GetString()));
        Assert.All(events, e => Assert.Equal("payment-service", e.GetProperty("serviceName").GetString()));
    }

    private async Task Track(string eventName, string serviceName)
    {
        using var response = await _client.PostAsJsonAsync("/api/events/track/" + eventName, new { serviceName });
        response.EnsureSuccessStatusCode();
    }
}

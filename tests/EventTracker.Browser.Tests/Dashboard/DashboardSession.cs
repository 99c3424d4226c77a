using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace EventTracker.Browser.Tests.Dashboard;

/// <summary>
/// One browser tab on the dashboard of a server, and the same server's REST answers to compare it with. Collects what
/// must never happen on the page — a console error, a Content-Security-Policy violation, an uncaught exception, a
/// dialog (an injected <c>alert</c>) — for <see cref="AssertNoProblems"/>.
/// </summary>
public sealed class DashboardSession : IAsyncDisposable
{
    private readonly List<string> _problems = [];
    private readonly HttpClient _rest;

    private DashboardSession(IBrowserContext context, IPage page, Uri origin)
    {
        Context = context;
        Page = page;
        Origin = origin;
        _rest = new HttpClient { BaseAddress = origin };
        page.PageError += (_, error) => _problems.Add("page error: " + error);
        page.Dialog += (_, dialog) => _problems.Add("dialog: " + dialog.Message);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" || message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                _problems.Add($"console {message.Type}: {message.Text}");
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>The server as the page addresses it.</summary>
    public Uri Origin { get; }

    public static async Task<DashboardSession> StartAsync(IBrowser browser, Uri origin, int width = 1280, int height = 900)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        return new DashboardSession(context, await context.NewPageAsync(), origin);
    }

    /// <summary>Opens the dashboard at <paramref name="query"/> (such as <c>?serviceName=a</c>) and waits for its first rows or its empty answer.</summary>
    public async Task OpenAsync(string query = "")
    {
        await Page.GotoAsync(new Uri(Origin, "/" + query).ToString());
        await WaitForTableAsync();
    }

    /// <summary>Waits until the table shows an answer (its summary says how many events match).</summary>
    public Task WaitForTableAsync() =>
        Assertions.Expect(Page.Locator("#events-summary")).ToContainTextAsync("matching events", new() { Timeout = 10_000 });

    /// <summary>Waits until the table's summary states <paramref name="count"/> matching events.</summary>
    public Task ExpectMatchingAsync(long count) =>
        Assertions.Expect(Page.Locator("#events-summary")).ToContainTextAsync(count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " matching events", new() { Timeout = 10_000 });

    /// <summary>Waits until the card of <paramref name="service"/> states <paramref name="count"/> events.</summary>
    public Task ExpectCardAsync(string service, long count) =>
        Assertions.Expect(Page.Locator($".card[data-service='{service}'] [data-field=eventCount]")).ToHaveTextAsync(count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 10_000 });

    /// <summary>Waits until a chart's data table holds <paramref name="value"/> as its first series in the bucket starting at <paramref name="start"/> (as the API writes it).</summary>
    public Task ExpectChartAsync(string chart, string start, long value) =>
        Assertions.Expect(Page.Locator($"figure[data-chart='{chart}'] tbody tr[data-start='{start}'] td:nth-child(2)")).ToHaveTextAsync(value.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 10_000 });

    /// <summary>Each row's event id, top to bottom.</summary>
    public async Task<IReadOnlyList<string>> RowIdsAsync() =>
        await Page.Locator("#events tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");

    /// <summary>GET of the REST API, as JSON.</summary>
    public async Task<JsonElement> RestAsync(string pathAndQuery) => await _rest.GetFromJsonAsync<JsonElement>(pathAndQuery);

    /// <summary>Stores events through the batch endpoint, a thousand at a time: each is <c>new { eventName, payload = new { … } }</c>.</summary>
    public async Task PostAsync(IEnumerable<object> events)
    {
        foreach (var chunk in events.Chunk(1000))
        {
            using var response = await _rest.PostAsJsonAsync("/api/events/track/batch", new { events = chunk });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Fails with every problem the page had.</summary>
    public void AssertNoProblems() => Assert.True(_problems.Count == 0, string.Join(Environment.NewLine, _problems));

    public async ValueTask DisposeAsync()
    {
        _rest.Dispose();
        await Context.CloseAsync();
    }
}

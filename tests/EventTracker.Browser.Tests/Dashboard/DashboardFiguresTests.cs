using System.IO.Compression;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace EventTracker.Browser.Tests.Dashboard;

/// <summary>
/// What the dashboard costs a user: the bundle's gzipped size (held to a budget) and the time from the HTML to the
/// first rows on the page (printed, not asserted: this box is too noisy for timed assertions). Run with
/// <c>--logger "console;verbosity=detailed"</c> to see the figures.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class DashboardFiguresTests(BrowserFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const int BundleBudgetBytes = 60 * 1024;
    private DashboardSession _dashboard = null!;

    public async Task InitializeAsync() => _dashboard = await DashboardSession.StartAsync(fixture.Browser, fixture.TrackerOrigin);

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task The_bundle_stays_within_its_budget_and_the_first_rows_come_one_round_trip_after_the_html()
    {
        using var http = new HttpClient { BaseAddress = fixture.TrackerOrigin };
        var script = await http.GetByteArrayAsync("/dashboard.js");
        var styles = await http.GetByteArrayAsync("/dashboard.css");
        var gzipped = Gzipped(script);
        output.WriteLine($"dashboard.js: {script.Length:N0} bytes, {gzipped:N0} gzipped; dashboard.css: {styles.Length:N0} bytes, {Gzipped(styles):N0} gzipped");
        Assert.InRange(gzipped, 1, BundleBudgetBytes);

        await _dashboard.PostAsync(Enumerable.Range(0, 50).Select(i => new { eventName = "figure_check", payload = new { serviceName = "figures-svc" } }));
        var samples = new List<double>();
        for (var run = 0; run < 5; run++)
        {
            await _dashboard.OpenAsync("?serviceName=figures-svc");
            var timing = await _dashboard.Page.EvaluateAsync<JsonElement>(
                "() => ({ html: performance.getEntriesByType('navigation')[0].responseEnd, rows: performance.getEntriesByName('eventtracker:first-rows')[0]?.startTime ?? -1 })");
            var rows = timing.GetProperty("rows").GetDouble();
            Assert.True(rows > 0, "the page marks its first rows");
            samples.Add(rows - timing.GetProperty("html").GetDouble());
        }

        samples.Sort();
        output.WriteLine($"first rows after the HTML: median {samples[2]:0} ms (runs: {string.Join(", ", samples.Select(s => s.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} ms)");
        _dashboard.AssertNoProblems();
    }

    private static int Gzipped(byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return (int)buffer.Length;
    }
}

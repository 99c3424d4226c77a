using System.Text.Json;
using EventTracker.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace EventTracker.Benchmarks;

/// <summary>
/// The main-thread time the monitor.js tag adds to a page load in headless Chromium: the script's own main-thread
/// tasks (evaluating it, and every callback of it that runs) from Chromium's trace, until the page has loaded and
/// been quiet for 300 ms, median of N loads, each in a fresh browser context (so the script is downloaded and
/// compiled every time, as on a first visit). The whole page's main-thread time with and without the tag (loads
/// alternating) is printed beside it for scale, though on a small machine its noise is larger than the tag.
/// The tracking server runs as its own process; the page comes from another loopback origin.
/// </summary>
internal static class MonitorLoadCost
{
    public static async Task RunAsync(int loads)
    {
        // Development: the server finds its static files (wwwroot) through the build's static web assets manifest.
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["EventTracker__Store__DataDirectory"] = string.Empty,
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        });
        await using var pages = await StartPageHostAsync($"""<script src="{server.BaseAddress}api/monitor.js" data-service-name="load-bench"></script>""");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });

        var pageUrl = pages.Urls.First();
        await LoadAsync(browser, pageUrl, withTag: true); // warm-up: the server's first answer and Chromium's first page
        var without = new List<Load>();
        var with = new List<Load>();
        for (var i = 0; i < loads; i++)
        {
            without.Add(await LoadAsync(browser, pageUrl, withTag: false));
            with.Add(await LoadAsync(browser, pageUrl, withTag: true));
        }

        var own = with.Select(l => l.Script).Order().ToArray();
        Console.WriteLine($"monitor.js on the main thread: median {Median(own):0.00} ms (min {own[0]:0.00}, max {own[^1]:0.00}) over {loads} loads, "
            + $"of which before the load event {Median(with.Select(l => l.ScriptBeforeLoad)):0.00} ms");
        Console.WriteLine($"whole page main thread:        median {Median(with.Select(l => l.Page)):0.0} ms with the tag, {Median(without.Select(l => l.Page)):0.0} ms without");
    }

    private sealed record Load(double Script, double ScriptBeforeLoad, double Page);

    private static async Task<Load> LoadAsync(IBrowser browser, string pageUrl, bool withTag)
    {
        await using var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var cdp = await context.NewCDPSessionAsync(page);
        var trace = new List<JsonElement>();
        var traced = new TaskCompletionSource();
        cdp.Event("Tracing.dataCollected").OnEvent += (_, e) =>
        {
            lock (trace)
            {
                trace.AddRange(e!.Value.GetProperty("value").EnumerateArray().Select(x => x.Clone()));
            }
        };
        cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => traced.TrySetResult();
        await cdp.SendAsync("Performance.enable");
        await cdp.SendAsync("Tracing.start", new Dictionary<string, object> { ["categories"] = "devtools.timeline", ["transferMode"] = "ReportEvents" });

        await page.GotoAsync($"{pageUrl}/?tag={withTag}", new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        await page.WaitForTimeoutAsync(300);
        if (withTag != await page.EvaluateAsync<bool>("() => typeof LiveMonitor === 'object'"))
        {
            throw new InvalidOperationException("monitor.js did not load as it should.");
        }

        var metrics = (await cdp.SendAsync("Performance.getMetrics"))!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
        await cdp.SendAsync("Tracing.end");
        await traced.Task;

        // Top-level tasks of the script: evaluating it, and its callbacks (listeners, timers, promise reactions).
        var tasks = trace.Where(e => e.GetProperty("name").GetString() is "EvaluateScript" or "FunctionCall"
            && e.TryGetProperty("dur", out _) && e.GetProperty("args").ToString().Contains("/api/monitor.js", StringComparison.Ordinal)).ToList();
        var loadEvent = trace.Where(e => e.GetProperty("name").GetString() == "MarkLoad").Select(e => e.GetProperty("ts").GetDouble()).DefaultIfEmpty(double.MaxValue).Min();
        return new Load(
            tasks.Sum(e => e.GetProperty("dur").GetDouble()) / 1000,
            tasks.Where(e => e.GetProperty("ts").GetDouble() < loadEvent).Sum(e => e.GetProperty("dur").GetDouble()) / 1000,
            metrics["TaskDuration"] * 1000);
    }

    /// <summary>A product list with links and buttons, with the tag in its head when asked for it.</summary>
    private static async Task<WebApplication> StartPageHostAsync(string tag)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var items = string.Concat(Enumerable.Range(1, 50).Select(i => $"<li><a href='/p/{i}'>Product {i}</a> <button data-track='buy-{i}'>Buy</button></li>"));
        app.MapGet("/", ([FromQuery(Name = "tag")] bool withTag) => Results.Content(
            $"<!doctype html><html><head><title>Shop</title>{(withTag ? tag : string.Empty)}</head><body><h1>Products</h1><ul>{items}</ul></body></html>",
            "text/html"));
        await app.StartAsync();
        return app;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

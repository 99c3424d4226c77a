using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventTracker.Browser.Tests;

/// <summary>
/// The host page's origin (127.0.0.1 on a free port), separate from the tracking server's: serves the pages tests
/// register, with an optional Content-Security-Policy, and a few endpoints for the page's own fetch/XHR calls.
/// </summary>
public sealed class PageHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (string Html, string? Policy)> _pages = new();

    private PageHost(WebApplication app) => _app = app;

    public Uri Origin => new(_app.Urls.First());

    public static async Task<PageHost> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var host = new PageHost(app);
        app.MapGet("/app/ok", () => Results.Json(new { answer = 42 }));
        app.MapGet("/app/missing", () => Results.NotFound());
        app.MapGet("/app/fail", () => Results.StatusCode(500));
        app.MapGet("/{**path}", (string? path, HttpContext context) =>
        {
            if (!host._pages.TryGetValue("/" + path, out var page))
            {
                return Results.NotFound();
            }

            if (page.Policy is not null)
            {
                context.Response.Headers.ContentSecurityPolicy = page.Policy;
            }

            return Results.Content(page.Html, "text/html");
        });
        await app.StartAsync();
        return host;
    }

    /// <summary>Serves <paramref name="html"/> at <paramref name="path"/> and its sub-paths' history entries, returning its URL.</summary>
    public string Add(string path, string html, string? contentSecurityPolicy = null)
    {
        _pages[path] = (html, contentSecurityPolicy);
        return new Uri(Origin, path).ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Security.Claims;
using EventTracker.AspNetCore;
using EventTracker.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EventTracker.AspNetCore.Tests;

/// <summary>A small web API on a real Kestrel (127.0.0.1, free port) that uses the middleware.</summary>
internal sealed class TrackedApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TrackedApp(WebApplication app)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public HttpClient Client { get; }

    public IEventTracker Tracker => _app.Services.GetRequiredService<IEventTracker>();

    public static async Task<TrackedApp> StartAsync(
        Uri trackingServer, Action<EventTrackingOptions>? configure = null, Action<EventTrackerClientOptions>? client = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddEventTracker(o =>
        {
            o.BaseAddress = trackingServer;
            o.ServiceName = "sample-api";
            o.FlushInterval = TimeSpan.FromMilliseconds(50);
            client?.Invoke(o);
        });
        builder.Services.AddEventTracking(configure);
        // Shutting down flushes the tracker; with an unreachable tracker that waits the host's whole shutdown timeout.
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers["X-Test-User"].ToString() is { Length: > 0 } user)
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user)], "test"));
            }

            return next(context);
        });
        app.UseEventTracking();
        app.MapGet("/api/users/{id:int}", (int id) => Results.Ok(new { id }));
        app.MapPost("/api/users", () => Results.Created("/api/users/1", new { id = 1 }));
        app.MapGet("/boom", IResult () => throw new InvalidOperationException("kaput"));
        app.MapGet("/healthz", () => "Healthy");
        app.MapGet("/site.css", () => "body{}");
        await app.StartAsync();
        return new TrackedApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

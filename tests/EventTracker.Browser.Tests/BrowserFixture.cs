using EventTracker.Client;
using EventTracker.Contracts;
using EventTracker.Server.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EventTracker.Browser.Tests;

/// <summary>
/// Chromium, the tracking server (Kestrel on 127.0.0.1, addressed as <c>localhost</c> so it is another origin than
/// the pages), and the page host. Counts the preflight (OPTIONS) requests the tracking server sees, and can make it
/// answer the next batches with 500.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly ChromiumFixture _chromium = new();
    private TestServerFactory _server = null!;
    private int _options;
    private int _failNextBatches;

    public Microsoft.Playwright.IBrowser Browser => _chromium.Browser;

    public PageHost Pages { get; private set; } = null!;

    /// <summary>The tracking server as bound: http://127.0.0.1:port.</summary>
    public Uri ServerAddress => _server.ClientOptions.BaseAddress;

    /// <summary>The tracking server as the pages address it: http://localhost:port.</summary>
    public Uri TrackerOrigin { get; private set; } = null!;

    public EventTrackerClient Client { get; private set; } = null!;

    public int OptionsRequests => Volatile.Read(ref _options);

    private int _batchPosts;

    public int BatchPosts => Volatile.Read(ref _batchPosts);

    public void FailNextBatches(int count) => Volatile.Write(ref _failNextBatches, count);

    public async Task InitializeAsync()
    {
        await _chromium.InitializeAsync();
        _server = new TestServerFactory(kestrel: true, services: services => services.AddSingleton<IStartupFilter>(new Counting(this)));
        TrackerOrigin = new UriBuilder(_server.ClientOptions.BaseAddress) { Host = "localhost" }.Uri;
        Client = new EventTrackerClient(_server.ClientOptions.BaseAddress);
        Pages = await PageHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Pages.DisposeAsync();
        await _server.DisposeAsync();
        await _chromium.DisposeAsync();
    }

    /// <summary>Events of one page's service, oldest first.</summary>
    public async Task<List<StoredEvent>> EventsOfAsync(string serviceName) =>
        (await Client.GetEventsPageAsync(new EventQuery { ServiceName = serviceName, Limit = 1000 })).Events.Reverse().ToList();

    /// <summary>A page that loads the monitor from the tracking server with a service name of its own.</summary>
    public string MonitorTag(string serviceName, string extraAttributes = "") =>
        $"""<script src="{TrackerOrigin}api/monitor.js" data-service-name="{serviceName}" data-batch-interval="500" {extraAttributes}></script>""";

    private sealed class Counting(BrowserFixture fixture) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                if (HttpMethods.IsOptions(context.Request.Method))
                {
                    Interlocked.Increment(ref fixture._options);
                }

                if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path == "/api/events/track/batch")
                {
                    Interlocked.Increment(ref fixture._batchPosts);
                    if (Interlocked.Decrement(ref fixture._failNextBatches) >= 0)
                    {
                        context.Response.StatusCode = 500;
                        return;
                    }

                    Interlocked.Exchange(ref fixture._failNextBatches, 0);
                }

                await nextMiddleware(context);
            });
            next(app);
        };
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

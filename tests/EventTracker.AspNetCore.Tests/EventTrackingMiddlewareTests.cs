using System.Diagnostics;
using System.Net;
using EventTracker.Client;
using EventTracker.Contracts;
using EventTracker.Server.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace EventTracker.AspNetCore.Tests;

public sealed class EventTrackingMiddlewareTests : IAsyncLifetime
{
    private readonly TestServerFactory _server = new(kestrel: true);
    private EventTrackerClient _query = null!;

    public Task InitializeAsync()
    {
        _query = new EventTrackerClient(_server.ClientOptions.BaseAddress);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Requests_are_tracked_with_the_route_template_status_duration_and_service()
    {
        await using var app = await TrackedApp.StartAsync(_server.ClientOptions.BaseAddress);

        (await app.Client.GetAsync("/api/users/42")).EnsureSuccessStatusCode();
        (await app.Client.GetAsync("/api/users/7")).EnsureSuccessStatusCode();
        (await app.Client.GetAsync("/api/nothing")).Dispose();
        var events = await StoredAsync(app);

        Assert.All(events, e => Assert.Equal(("api-response-sent", "sample-api"), (e.Name, e.ServiceName)));
        var users = events.Where(e => e.Payload.StatusCode == 200).ToList();
        Assert.Equal(["/api/users/{id:int}", "/api/users/{id:int}"], users.Select(e => Metadata(e, "route")));
        Assert.Equal(["/api/users/42", "/api/users/7"], users.Select(e => Metadata(e, "path")).Order());
        Assert.All(users, e => Assert.True(e.Payload.ResponseTimeMs >= 0));
        var notFound = Assert.Single(events, e => e.Payload.StatusCode == 404);
        Assert.Null(Metadata(notFound, "route"));
    }

    [Fact]
    public async Task The_incoming_correlation_id_is_kept_and_echoed_else_the_trace_id_is_used()
    {
        await using var app = await TrackedApp.StartAsync(_server.ClientOptions.BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/1");
        request.Headers.Add("X-Correlation-Id", "journey-123");

        using var withHeader = await app.Client.SendAsync(request);
        using var without = await app.Client.GetAsync("/api/users/2");
        var events = await StoredAsync(app);

        Assert.Equal("journey-123", withHeader.Headers.GetValues("X-Correlation-Id").Single());
        var generated = without.Headers.GetValues("X-Correlation-Id").Single();
        Assert.Matches("^[0-9a-f]{32}$", generated);
        Assert.Equal(["journey-123", generated], events.OrderBy(e => Metadata(e, "path")).Select(e => e.Payload.CorrelationId));
    }

    [Fact]
    public async Task Health_checks_static_files_and_configured_paths_are_not_tracked()
    {
        await using var app = await TrackedApp.StartAsync(_server.ClientOptions.BaseAddress, o => o.ExcludedPaths.Add("/api/users/9"));

        foreach (var path in new[] { "/healthz", "/site.css", "/api/users/9", "/api/users/10" })
        {
            (await app.Client.GetAsync(path)).Dispose();
        }

        Assert.Equal(["/api/users/10"], (await StoredAsync(app)).Select(e => Metadata(e, "path")));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 20)]
    public async Task Sampling_decides_the_share_of_requests_tracked(double rate, int expected)
    {
        await using var app = await TrackedApp.StartAsync(_server.ClientOptions.BaseAddress, o => o.SampleRate = rate);

        for (var i = 0; i < 20; i++)
        {
            (await app.Client.GetAsync($"/api/users/{i}")).EnsureSuccessStatusCode();
        }

        Assert.Equal(expected, (await StoredAsync(app)).Count);
    }

    [Fact]
    public async Task An_exception_is_tracked_and_rethrown()
    {
        await using var app = await TrackedApp.StartAsync(_server.ClientOptions.BaseAddress);

        using var response = await app.Client.GetAsync("/boom");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var failed = Assert.Single(await StoredAsync(app));
        Assert.Equal("api-request-failed", failed.Name);
        Assert.Equal(500, failed.Payload.StatusCode);
        Assert.Equal("InvalidOperationException", Metadata(failed, "exception"));
        Assert.Equal("/boom", Metadata(failed, "route"));
    }

    [Fact]
    public async Task Request_received_events_can_be_turned_on_and_share_the_correlation_id()
    {
        await using var app = await TrackedApp.StartAsync(_server.ClientOptions.BaseAddress, o => o.TrackRequestReceived = true);

        (await app.Client.PostAsync("/api/users", null)).EnsureSuccessStatusCode();
        var events = await StoredAsync(app);

        Assert.Equal(["api-request-received", "api-response-sent"], events.Select(e => e.Name).Order());
        Assert.Single(events.Select(e => e.Payload.CorrelationId).Distinct());
        Assert.Equal(201, events.Single(e => e.Name == "api-response-sent").Payload.StatusCode);
    }

    [Fact]
    public async Task The_enrich_hook_adds_data_or_drops_events_and_the_user_comes_from_the_principal()
    {
        await using var app = await TrackedApp.StartAsync(_server.ClientOptions.BaseAddress, o => o.Enrich = (context, _, payload) =>
        {
            payload.Metadata!["tenant"] = context.Request.Headers["X-Tenant"].ToString();
            return context.Request.Path != "/api/users/13";
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/1");
        request.Headers.Add("X-Tenant", "acme");
        request.Headers.Add("X-Test-User", "user-77");

        (await app.Client.SendAsync(request)).EnsureSuccessStatusCode();
        (await app.Client.GetAsync("/api/users/13")).EnsureSuccessStatusCode();

        var stored = Assert.Single(await StoredAsync(app));
        Assert.Equal("acme", Metadata(stored, "tenant"));
        Assert.Equal("user-77", stored.UserId);
    }

    [Fact]
    public async Task Requests_never_wait_on_a_slow_or_unreachable_tracker()
    {
        using var slowTracker = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
        slowTracker.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(503).WithDelay(TimeSpan.FromSeconds(10)));
        // A short total timeout only so that shutting the app down (which flushes) does not wait a minute.
        await using var app = await TrackedApp.StartAsync(new Uri(slowTracker.Url!), client: o => o.TotalTimeout = TimeSpan.FromSeconds(2));

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            (await app.Client.GetAsync($"/api/users/{i}")).EnsureSuccessStatusCode();
        }

        // Every answer to the tracker takes 10 s; all 20 requests finishing sooner means none waited for it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"20 requests took {clock.Elapsed}");
    }

    [Fact]
    public async Task Sampling_draws_from_the_injected_randomizer_so_which_requests_are_tracked_is_repeatable()
    {
        var draws = new Queue<double>([0.10, 0.90, 0.49, 0.50, 0.20]);
        await using var app = await TrackedApp.StartAsync(_server.ClientOptions.BaseAddress, o =>
        {
            o.SampleRate = 0.5;
            o.Randomizer = () => draws.Dequeue();
        });

        for (var i = 1; i <= 5; i++)
        {
            (await app.Client.GetAsync($"/api/users/{i}")).EnsureSuccessStatusCode();
        }

        var events = await StoredAsync(app);
        Assert.Equal(["/api/users/1", "/api/users/3", "/api/users/5"], events.Select(e => Metadata(e, "path")).Order());
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public async Task A_sample_rate_outside_zero_to_one_fails_app_start_naming_it(double rate)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => TrackedApp.StartAsync(_server.ClientOptions.BaseAddress, o => o.SampleRate = rate));

        Assert.Contains("EventTrackingOptions.SampleRate must be between 0 and 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseEventTracking_without_AddEventTracking_says_what_to_call()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        builder.Services.AddEventTracker(o => o.ServiceName = "forgot");
        using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.UseEventTracking());

        Assert.Contains("AddEventTracking()", error.Message, StringComparison.Ordinal);
    }

    private async Task<List<StoredEvent>> StoredAsync(TrackedApp app)
    {
        await app.Tracker.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (await _query.GetEventsPageAsync(new EventQuery { Limit = 1000 })).Events.ToList();
    }

    private static string? Metadata(StoredEvent e, string key) => e.Payload.Metadata?[key]?.GetValue<string>();
}

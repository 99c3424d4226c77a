using EventTracker.Contracts;
using EventTracker.Server.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EventTracker.Client.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task With_the_server_unreachable_the_host_stops_within_the_trackers_shutdown_timeout_and_counts_what_it_gave_up()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventTracker:BaseAddress"] = "http://127.0.0.1:9/", // the discard port: nothing answers
            ["EventTracker:ServiceName"] = "shutdown-test",
            ["EventTracker:FlushInterval"] = "00:00:00.050",
            ["EventTracker:ShutdownTimeout"] = "00:00:01",
        });
        builder.Services.AddEventTracker(builder.Configuration);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(60));
        using var host = builder.Build();
        await host.StartAsync();
        var tracker = host.Services.GetRequiredService<IEventTracker>();
        for (var i = 0; i < 500; i++)
        {
            tracker.Track("while-down");
        }

        // The host would wait 60 s; the tracker gives up after its own 1 s.
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(500, tracker.DroppedCount + tracker.FailedCount);
        Assert.Equal(0, tracker.SentCount);
    }

    [Fact]
    public void The_default_shutdown_timeout_is_five_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), new EventTrackerClientOptions().ShutdownTimeout);
    }

    [Theory]
    [InlineData("MaxBatchSize", "0")]
    [InlineData("MaxBatchSize", "1001")]
    [InlineData("FlushInterval", "00:00:00")]
    [InlineData("BaseAddress", "/relative")]
    [InlineData("AttemptTimeout", "00:00:00.001")]
    [InlineData("QueueCapacity", "-1")]
    public async Task An_invalid_option_fails_host_start_naming_it(string option, string value)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["EventTracker:" + option] = value });
        builder.Services.AddEventTracker(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"EventTracker:{option} must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_event_tracker_section_the_host_warns_at_start_naming_the_missing_options()
    {
        var logs = new ListLoggerProvider();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddEventTracker(builder.Configuration);
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();

        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Contains("EventTracker:BaseAddress is not set: events go to http://localhost:3000/", warnings);
        Assert.Contains("EventTracker:ServiceName is not set: events that name no serviceName are stored without one", warnings);
    }

    [Fact]
    public async Task Options_bind_from_the_event_tracker_section_and_the_host_flushes_on_shutdown()
    {
        await using var server = new TestServerFactory(kestrel: true);
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventTracker:BaseAddress"] = server.ClientOptions.BaseAddress.ToString(),
            ["EventTracker:ServiceName"] = "orders",
            ["EventTracker:FlushInterval"] = "01:00:00",
            ["EventTracker:MaxBatchSize"] = "250",
        });
        builder.Services.AddEventTracker(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<EventTrackerClientOptions>>().Value;
        var tracker = host.Services.GetRequiredService<IEventTracker>();
        tracker.Track("order-placed");
        tracker.Track("order-paid");
        await host.StopAsync();

        Assert.Equal(250, options.MaxBatchSize);
        Assert.Same(tracker, host.Services.GetRequiredService<IEventTracker>());
        var client = host.Services.GetRequiredService<EventTrackerClient>();
        var stored = (await client.GetEventsPageAsync()).Events;
        Assert.Equal(["order-paid", "order-placed"], stored.Select(e => e.Name));
        Assert.All(stored, e => Assert.Equal("orders", e.ServiceName));
    }

    [Fact]
    public async Task The_typed_client_comes_from_the_http_client_factory_with_the_configured_address()
    {
        await using var server = new TestServerFactory(kestrel: true);
        var services = new ServiceCollection();
        services.AddEventTracker(o => { o.BaseAddress = server.ClientOptions.BaseAddress; o.ServiceName = "api"; });
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<EventTrackerClient>().SendEventAsync("ping", new AIEventPayload());

        Assert.True(response.Success);
        Assert.Equal("api", (await provider.GetRequiredService<EventTrackerClient>().GetEventsPageAsync()).Events.Single().ServiceName);
    }
}

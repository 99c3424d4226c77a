using EventTracker.Contracts;
using EventTracker.Server.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EventTracker.Client.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task With_the_server_unreachable_the_host_stops_within_its_shutdown_timeout_and_counts_what_it_gave_up()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EventTracker:BaseAddress"] = "http://127.0.0.1:9/", // the discard port: nothing answers
            ["EventTracker:FlushInterval"] = "00:00:00.050",
        });
        builder.Services.AddEventTracker(builder.Configuration);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        using var host = builder.Build();
        await host.StartAsync();
        var tracker = host.Services.GetRequiredService<IEventTracker>();
        for (var i = 0; i < 500; i++)
        {
            tracker.Track("while-down");
        }

        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)); // the tracker's own timeouts are 60 s: it must not wait for them

        Assert.Equal(500, tracker.DroppedCount + tracker.FailedCount);
        Assert.Equal(0, tracker.SentCount);
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
        var stored = (await client.GetEventsAsync()).Events;
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

        var response = await provider.GetRequiredService<EventTrackerClient>().TrackAsync("ping", new AIEventPayload());

        Assert.True(response.Success);
        Assert.Equal("api", (await provider.GetRequiredService<EventTrackerClient>().GetEventsAsync()).Events.Single().ServiceName);
    }
}

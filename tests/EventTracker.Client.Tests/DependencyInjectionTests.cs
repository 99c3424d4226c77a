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

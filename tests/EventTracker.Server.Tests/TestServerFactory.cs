using EventTracker.Server.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

/// <summary>The reference server in memory (or on Kestrel), with optional settings and a controllable clock.</summary>
public sealed class TestServerFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="settings">Configuration settings.</param>
    /// <param name="time">A fake clock for the server.</param>
    /// <param name="kestrel">Serve over a real Kestrel on 127.0.0.1, for streaming over real sockets.</param>
    /// <param name="port">With Kestrel, the port; 0 picks a free one.</param>
    /// <param name="services">Changes to the server's services, such as a store that outlives this server.</param>
    public TestServerFactory(
        IReadOnlyDictionary<string, string?>? settings = null, FakeTimeProvider? time = null, bool kestrel = false, int port = 0,
        Action<IServiceCollection>? services = null)
    {
        // Memory only, unless a test gives a data directory: tests must not share one.
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        all.TryAdd("EventTracker:Store:DataDirectory", string.Empty);
        _settings = all;

        _services = services;
        Time = time;
        if (kestrel)
        {
            _settings = new Dictionary<string, string?>(_settings) { ["urls"] = $"http://127.0.0.1:{port}" };
            UseKestrel();
            StartServer();
        }
    }

    /// <summary>The fake clock the server uses, when one was given.</summary>
    public FakeTimeProvider? Time { get; }

    internal IEventStore Store => Services.GetRequiredService<IEventStore>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (Time is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time));
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }
}

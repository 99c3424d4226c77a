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

    public TestServerFactory(IReadOnlyDictionary<string, string?>? settings = null, FakeTimeProvider? time = null, bool kestrel = false)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        Time = time;
        if (kestrel)
        {
            // A real Kestrel on a free loopback port, for streaming over real sockets.
            _settings = new Dictionary<string, string?>(_settings) { ["urls"] = "http://127.0.0.1:0" };
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
    }
}

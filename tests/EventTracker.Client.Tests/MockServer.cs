using EventTracker.Testing;
using WireMock.Logging;
using WireMock.Server;
using WireMock.Settings;

namespace EventTracker.Client.Tests;

/// <summary>A WireMock server on a free 127.0.0.1 port, and a client of it with fast retries.</summary>
internal sealed class MockServer : IDisposable
{
    public MockServer()
    {
        var port = LoopbackPorts.Free();
        Server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"] });
        BaseAddress = new Uri(Server.Url!);
    }

    public WireMockServer Server { get; }

    public Uri BaseAddress { get; }

    public IReadOnlyList<ILogEntry> Requests => Server.LogEntries.ToList();

    public EventTrackerClientOptions Options(Action<EventTrackerClientOptions>? configure = null)
    {
        var options = new EventTrackerClientOptions
        {
            BaseAddress = BaseAddress,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        return options;
    }

    public EventTrackerClient Client(Action<EventTrackerClientOptions>? configure = null) => new(BaseAddress, Options(configure));

    public void Dispose() => Server.Stop();
}

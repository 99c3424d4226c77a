using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using EventTracker.Contracts;
using EventTracker.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace EventTracker.Client.Tests;

/// <summary>
/// What a client promises from construction to disposal: options checked and copied, failures as
/// <see cref="EventTrackerException"/>, one retry layer per batch, bounded disposal, and no connection left open.
/// </summary>
public sealed class ClientLifecycleTests : IDisposable
{
    private readonly MockServer _mock = new();

    public static TheoryData<string, Action<EventTrackerClientOptions>> InvalidOptions => new()
    {
        { "MaxBatchSize", o => o.MaxBatchSize = 0 },
        { "MaxBatchSize", o => o.MaxBatchSize = 5000 },
        { "MaxBatchBytes", o => o.MaxBatchBytes = 10 },
        { "QueueCapacity", o => o.QueueCapacity = 0 },
        { "MaxQueueBytes", o => o.MaxQueueBytes = -1 },
        { "QueueFullPolicy", o => o.QueueFullPolicy = (QueueFullPolicy)42 },
        { "FlushInterval", o => o.FlushInterval = TimeSpan.Zero },
        { "BatchRetryTimeout", o => o.BatchRetryTimeout = TimeSpan.FromSeconds(-1) },
        { "MaxRetryAttempts", o => o.MaxRetryAttempts = -1 },
        { "RetryDelay", o => o.RetryDelay = TimeSpan.FromSeconds(-1) },
        { "AttemptTimeout", o => o.AttemptTimeout = TimeSpan.Zero },
        { "TotalTimeout", o => o.TotalTimeout = TimeSpan.FromDays(2) },
        { "MaxReconnectDelay", o => o.MaxReconnectDelay = TimeSpan.Zero },
        { "ShutdownTimeout", o => o.ShutdownTimeout = TimeSpan.FromSeconds(-5) },
        { "CompressionThresholdBytes", o => o.CompressionThresholdBytes = -1 },
        { "ApiKeyHeaderName", o => o.ApiKeyHeaderName = " " },
        { "ServiceName", o => o.ServiceName = "" },
        { "ServiceName", o => o.ServiceName = new string('s', 201) },
        { "BaseAddress", o => o.BaseAddress = new Uri("ftp://example.test/") },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void An_invalid_option_is_an_argument_exception_naming_it(string option, Action<EventTrackerClientOptions> spoil)
    {
        var options = new EventTrackerClientOptions();
        spoil(options);
        using var http = new HttpClient();

        var error = Assert.Throws<ArgumentException>(() => new EventTrackerClient(http, options));

        Assert.StartsWith($"EventTracker:{option} must be", error.Message, StringComparison.Ordinal);
        Assert.Equal("options", error.ParamName);
        if (option != "BaseAddress") // the Uri constructors take the address from their argument
        {
            var overUri = Assert.Throws<ArgumentException>(() => new EventTrackerClient(new Uri("http://127.0.0.1:9"), options));
            Assert.StartsWith($"EventTracker:{option} must be", overUri.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Changing_the_options_object_after_construction_changes_nothing()
    {
        Accept("/api/events/track/changed");
        var options = _mock.Options(o => o.ServiceName = "before");
        using var client = new EventTrackerClient(_mock.BaseAddress, options);

        options.ServiceName = "after";
        options.ApiKey = "sneaked-in";
        options.BaseAddress = new Uri("http://127.0.0.1:9/");
        await client.SendEventAsync("changed");

        var request = Assert.Single(_mock.Requests);
        Assert.Equal("before", JsonNode.Parse(request.RequestMessage.Body!)!["serviceName"]!.GetValue<string>());
        Assert.False(request.RequestMessage.Headers!.ContainsKey("X-API-Key"));
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_an_event_tracker_exception_with_the_transport_error_inside()
    {
        using var client = new EventTrackerClient(new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}"), new EventTrackerClientOptions { MaxRetryAttempts = 0 });

        var error = await Assert.ThrowsAsync<EventTrackerException>(() => client.SendEventAsync("nobody-home"));

        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal((HttpStatusCode)0, error.StatusCode);
        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_background_batch_the_server_refuses_costs_one_request_per_attempt_and_a_direct_call_one_plus_its_retries()
    {
        _mock.Server.Given(Request.Create().WithPath("/api/events/track/batch").UsingPost()).RespondWith(Response.Create().WithStatusCode(503));
        using var client = _mock.Client(o => { o.MaxRetryAttempts = 3; o.BatchRetryTimeout = TimeSpan.Zero; o.ServiceName = "svc"; });
        var failed = new TaskCompletionSource<EventTrackerSendFailedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tracker = new BackgroundEventTracker(client);
        tracker.SendFailed += (_, args) => failed.TrySetResult(args);

        tracker.Track("refused");
        var givenUp = await failed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var backgroundRequests = _mock.Requests.Count;
        await tracker.DisposeAsync();
        await Assert.ThrowsAsync<EventTrackerException>(() => client.SendBatchAsync(new BatchTrackEventRequest { Events = [new() { EventName = "direct" }] }));

        Assert.Equal(1, givenUp.EventCount);
        Assert.Equal(1, backgroundRequests);
        Assert.Equal(1 + 4, _mock.Requests.Count);
    }

    [Fact]
    public async Task Disposing_the_tracker_with_the_server_down_returns_within_the_shutdown_timeout_and_reports_what_it_gave_up()
    {
        var logger = new ListLogger<BackgroundEventTracker>();
        using var client = new EventTrackerClient(
            new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}"),
            new EventTrackerClientOptions { ServiceName = "svc", ShutdownTimeout = TimeSpan.FromSeconds(1), FlushInterval = TimeSpan.FromMilliseconds(20) });
        var tracker = new BackgroundEventTracker(client, logger);
        for (var i = 0; i < 50; i++)
        {
            tracker.Track("while-down");
        }

        var clock = Stopwatch.StartNew();
        await tracker.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        clock.Stop();

        // Bounded by the 1 s timeout, not the 60 s of TotalTimeout or the 5 minutes of BatchRetryTimeout (slack for a busy machine).
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        Assert.Equal((50L, 0L), (tracker.DroppedCount, tracker.SentCount));
        Assert.Contains(logger.Entries, e => e.Message == "EventTracker stopped before it could deliver 50 events; they are counted as dropped");
    }

    [Fact]
    public async Task A_client_made_without_dependency_injection_closes_its_connections_when_disposed()
    {
        Accept("/api/events/track/pooled");
        var port = _mock.BaseAddress.Port;
        var client = new EventTrackerClient(_mock.BaseAddress, new EventTrackerClientOptions());
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.SendEventAsync("pooled")));
        var openBefore = EstablishedConnectionsTo(port);

        client.Dispose();
        var openAfter = EstablishedConnectionsTo(port);
        for (var wait = 0; openAfter > 0 && wait < 50; wait++)
        {
            await Task.Delay(100); // the close is immediate; give a loaded machine a moment to show it
            openAfter = EstablishedConnectionsTo(port);
        }

        Assert.InRange(openBefore, 1, 4);
        Assert.Equal(0, openAfter);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SendEventAsync("pooled"));
    }

    [Fact]
    public async Task Disposing_a_client_over_a_given_http_client_leaves_that_client_usable()
    {
        Accept("/api/events/track/shared");
        using var http = new HttpClient { BaseAddress = _mock.BaseAddress };

        new EventTrackerClient(http).Dispose();
        using var again = new EventTrackerClient(http);

        Assert.True((await again.SendEventAsync("shared")).Success);
    }

    public void Dispose() => _mock.Dispose();

    private void Accept(string path) =>
        _mock.Server.Given(Request.Create().WithPath(path).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json")
                .WithBody("""{"success":true,"eventId":"e","timestamp":"2026-01-01T00:00:00.000Z","suggestions":[]}"""));

    // Client-side sockets of this machine connected to the port, from the kernel's table (this test runs on Linux).
    private static int EstablishedConnectionsTo(int port)
    {
        const string Established = "01";
        var remotePort = port.ToString("X4", CultureInfo.InvariantCulture);
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(fields => fields.Length > 3 && fields[2].EndsWith(":" + remotePort, StringComparison.Ordinal) && fields[3] == Established);
    }
}

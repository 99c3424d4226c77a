using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace EventTracker.Client.Tests;

/// <summary>What is retried, how long the pauses are, and how quietly retries are logged.</summary>
public sealed class RetryPolicyTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new HttpRequestException("refused"), true },
        { new TaskCanceledException("attempt timed out"), true },
        { new Polly.Timeout.TimeoutRejectedException(), true },
        { new EventTrackerException(HttpStatusCode.ServiceUnavailable, null), true },
        { new EventTrackerException(HttpStatusCode.TooManyRequests, null), true },
        { new EventTrackerException(HttpStatusCode.RequestTimeout, null), true },
        { new EventTrackerException(HttpStatusCode.InternalServerError, null), true },
        { new EventTrackerException(HttpStatusCode.BadRequest, null), false },
        { new EventTrackerException(HttpStatusCode.Unauthorized, null), false },
        { new EventTrackerException(HttpStatusCode.RequestEntityTooLarge, null), false },
        { new EventTrackerException("could not be reached", new HttpRequestException("refused")), true },
        { new EventTrackerException("could not be reached", new Polly.Timeout.TimeoutRejectedException()), true },
        { new EventTrackerException("The server answered with an empty body."), false },
        { new InvalidOperationException(), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void One_definition_says_which_failures_are_worth_retrying(Exception failure, bool transient)
    {
        Assert.Equal(transient, TransientFailure.Is(failure));
    }

    [Fact]
    public void The_pause_grows_exponentially_to_its_cap_with_jitter_from_the_injected_randomizer()
    {
        var lowest = new RetryBackOff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), () => 0.0);
        var highest = new RetryBackOff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), () => 0.999_999);

        Assert.Equal(
            [250, 500, 1000, 2000, 4000, 8000, 15_000, 15_000],
            Enumerable.Range(0, 8).Select(failures => lowest.Next(failures).TotalMilliseconds));
        Assert.Equal(500, highest.Next(0).TotalMilliseconds, precision: 0);
        Assert.Equal(30_000, highest.Next(40).TotalMilliseconds, precision: 0);
    }

    [Fact]
    public async Task Retries_are_logged_at_debug_not_as_a_warning_per_attempt()
    {
        using var mock = new MockServer();
        mock.Server.Given(Request.Create().WithPath("/api/events").UsingGet()).RespondWith(Response.Create().WithStatusCode(503));
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddEventTracker(o =>
        {
            o.BaseAddress = mock.BaseAddress;
            o.MaxRetryAttempts = 3;
            o.RetryDelay = TimeSpan.FromMilliseconds(10);
        });
        await using var provider = services.BuildServiceProvider();

        var refused = await Assert.ThrowsAsync<EventTrackerException>(() => provider.GetRequiredService<EventTrackerClient>().GetEventsPageAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(4, mock.Requests.Count);
        var polly = logs.Entries.Where(e => e.Category.StartsWith("Polly", StringComparison.Ordinal)).ToList();
        Assert.Contains(polly, e => e.Level == LogLevel.Debug); // the pipeline's telemetry is on
        Assert.DoesNotContain(polly, e => e.Level >= LogLevel.Warning);
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly List<(string Category, LogLevel Level)> _entries = [];

        public IReadOnlyList<(string Category, LogLevel Level)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return _entries.ToList();
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (provider._entries)
                {
                    provider._entries.Add((category, logLevel));
                }
            }
        }
    }
}

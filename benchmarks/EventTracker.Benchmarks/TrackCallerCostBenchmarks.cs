using System.Net;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using EventTracker.Client;
using EventTracker.Contracts;

namespace EventTracker.Benchmarks;

/// <summary>
/// The caller's own cost of <see cref="IEventTracker.Track"/>, with the sending loop held in a send (the server does
/// not answer until the iteration is over), so nothing runs beside the caller: against writing the same struct to a bare
/// bounded channel nobody reads during the iteration. <see cref="TrackBenchmarks"/> measures it with the loop draining
/// alongside, which on a machine with few cores includes what the loop's work costs the caller.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[InvocationCount(100_000)]
public class TrackCallerCostBenchmarks
{
    private readonly AIEventPayload _payload = new() { ServiceName = "web-analytics", StatusCode = 200 };
    private readonly HeldServer _server = new();
    private Channel<(string, AIEventPayload?, string?)> _channel = null!;
    private BackgroundEventTracker _tracker = null!;

    [GlobalSetup]
    public void Setup()
    {
        _channel = Channel.CreateBounded<(string, AIEventPayload?, string?)>(
            new BoundedChannelOptions(1 << 22) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        var http = new HttpClient(_server) { BaseAddress = new Uri("http://127.0.0.1:9") };

        // One event per batch: the loop takes one, then waits in its send for the rest of the iteration.
        _tracker = new BackgroundEventTracker(new EventTrackerClient(
            http, new EventTrackerClientOptions { QueueCapacity = 1 << 22, MaxBatchSize = 1, MaxRetryAttempts = 0 }));
    }

    [IterationSetup]
    public void StartFromEmptyQueues()
    {
        while (_channel.Reader.TryRead(out _))
        {
        }

        _server.Answer();
        _tracker.FlushAsync().GetAwaiter().GetResult();
        _server.Hold();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _server.Answer();
        _tracker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Console.WriteLine($"// tracker: sent {_tracker.SentCount:N0}, dropped {_tracker.DroppedCount:N0}");
    }

    [Benchmark(Baseline = true)]
    public bool Bare_bounded_channel_write() => _channel.Writer.TryWrite(("page-view", _payload, null));

    [Benchmark]
    public void Track() => _tracker.Track("page-view", _payload);

    /// <summary>Answers 200 while open; while held, a request waits until it is opened again.</summary>
    private sealed class HeldServer : HttpMessageHandler
    {
        private volatile TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Answer() => _open.TrySetResult();

        public void Hold() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await _open.Task.WaitAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"success":true,"processedCount":0,"suggestions":[],"batchId":"b","timestamp":"2025-08-27T00:00:00.000Z"}""",
                    System.Text.Encoding.UTF8, "application/json"),
            };
        }
    }
}

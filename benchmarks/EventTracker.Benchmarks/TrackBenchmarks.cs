using System.Net;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using EventTracker.Client;
using EventTracker.Contracts;

namespace EventTracker.Benchmarks;

/// <summary>
/// The cost to the caller of <see cref="IEventTracker.Track"/>, against the baseline of writing the same struct to a
/// bare bounded channel drained by a reader loop. The tracker's loop drains concurrently (serializing each event)
/// into a handler that answers every batch at once; each iteration starts from an empty queue and tracks 100,000
/// events, well under the queue's capacity, so the measured path is the normal one, not the drop path.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[InvocationCount(100_000)]
public class TrackBenchmarks
{
    private readonly AIEventPayload _payload = new() { ServiceName = "web-analytics", StatusCode = 200 };
    private Channel<(string, AIEventPayload?, string?)> _channel = null!;
    private BackgroundEventTracker _tracker = null!;

    [GlobalSetup]
    public void Setup()
    {
        _channel = Channel.CreateBounded<(string, AIEventPayload?, string?)>(
            new BoundedChannelOptions(1 << 20) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        _ = Task.Run(async () =>
        {
            // Drained by a reader loop, as the tracker's queue is.
            while (await _channel.Reader.WaitToReadAsync())
            {
                while (_channel.Reader.TryRead(out _))
                {
                }
            }
        });
        var http = new HttpClient(new AcceptEverything()) { BaseAddress = new Uri("http://127.0.0.1:9") };
        _tracker = new BackgroundEventTracker(new EventTrackerClient(http, new EventTrackerClientOptions { QueueCapacity = 1 << 20, MaxBatchSize = 1000 }));
    }

    [IterationSetup]
    public void StartFromAnEmptyQueue() => _tracker.FlushAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Writer.TryComplete();
        _tracker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Console.WriteLine($"// tracker: sent {_tracker.SentCount:N0}, dropped {_tracker.DroppedCount:N0}");
    }

    [Benchmark(Baseline = true)]
    public bool Bare_bounded_channel_write() => _channel.Writer.TryWrite(("page-view", _payload, null));

    [Benchmark]
    public void Track() => _tracker.Track("page-view", _payload);

    /// <summary>Answers every batch with 200, standing in for a server that is never the bottleneck.</summary>
    private sealed class AcceptEverything : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"success":true,"processedCount":0,"suggestions":[],"batchId":"b","timestamp":"2025-08-27T00:00:00.000Z"}""",
                    System.Text.Encoding.UTF8, "application/json"),
            });
    }
}

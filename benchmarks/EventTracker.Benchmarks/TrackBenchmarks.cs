using System.Net;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using EventTracker.Client;
using EventTracker.Contracts;

namespace EventTracker.Benchmarks;

/// <summary>
/// The cost to the caller of <see cref="IEventTracker.Track"/>, against the baseline of writing the same struct to a
/// bare bounded channel; each iteration starts from empty queues and tracks 100,000 events, well under the queue's
/// limits, so the measured path is the normal one, not the drop path. Two settings:
/// <list type="bullet">
/// <item><c>LoopDrainsAlongside = false</c>: the caller's own work only. The sending loop is held in a send (the server
/// answers only between iterations) and nobody reads the channel during an iteration.</item>
/// <item><c>LoopDrainsAlongside = true</c>: the loop drains concurrently (serializing each event) into a server that
/// answers at once, and a reader loop drains the channel; on a machine with few cores this includes what the loop's
/// work costs the caller.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
[InvocationCount(100_000)]
public class TrackBenchmarks
{
    private readonly AIEventPayload _payload = new() { ServiceName = "web-analytics", StatusCode = 200 };
    private readonly HeldServer _server = new();
    private Channel<(string, AIEventPayload?, string?)> _channel = null!;
    private BackgroundEventTracker _tracker = null!;

    /// <summary>Whether the sending loop (and a reader of the baseline's channel) run during the measurement.</summary>
    [Params(false, true)]
    public bool LoopDrainsAlongside { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _channel = Channel.CreateBounded<(string, AIEventPayload?, string?)>(
            new BoundedChannelOptions(1 << 22) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        if (LoopDrainsAlongside)
        {
            _ = Task.Run(async () =>
            {
                while (await _channel.Reader.WaitToReadAsync())
                {
                    while (_channel.Reader.TryRead(out _))
                    {
                    }
                }
            });
        }

        // Held: one event per batch, so the loop takes one and then waits in its send for the rest of the iteration.
        var http = new HttpClient(_server) { BaseAddress = new Uri("http://127.0.0.1:9") };
        _tracker = new BackgroundEventTracker(new EventTrackerClient(http, new EventTrackerClientOptions
        {
            QueueCapacity = 1 << 22,
            MaxBatchSize = LoopDrainsAlongside ? 1000 : 1,
            MaxRetryAttempts = 0,
        }));
    }

    [IterationSetup]
    public void StartFromEmptyQueues()
    {
        while (_channel.Reader.TryRead(out _))
        {
        }

        _server.Answer();
        _tracker.FlushAsync().GetAwaiter().GetResult();
        if (!LoopDrainsAlongside)
        {
            _server.Hold();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Writer.TryComplete();
        _server.Answer();
        _tracker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Console.WriteLine($"// tracker: sent {_tracker.SentCount:N0}, dropped {_tracker.DroppedCount:N0}");
    }

    [Benchmark(Baseline = true)]
    public bool Bare_bounded_channel_write() => _channel.Writer.TryWrite(("page-view", _payload, null));

    [Benchmark]
    public void Track() => _tracker.Track("page-view", _payload);

    /// <summary>Answers every batch with 200 while open; while held, a request waits until it is opened again.</summary>
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

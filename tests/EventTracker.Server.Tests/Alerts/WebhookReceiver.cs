using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventTracker.Server.Tests.Alerts;

/// <summary>
/// A webhook endpoint on a real Kestrel at 127.0.0.1 (a free port) that records every request it gets, and can be
/// told to answer the next few with an error or to hold requests until released.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly Lock _gate = new();
    private int _failuresLeft;
    private int _failureStatus;
    private string? _retryAfter;
    private TaskCompletionSource? _hold;
    private int _waiting;

    private WebhookReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/{**path}", ReceiveAsync);
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Everything received so far, attempts that were answered with an error included, in order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    /// <summary>Requests waiting for <see cref="Release"/>.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver._app.StartAsync();
        receiver.BaseAddress = new Uri(receiver._app.Urls.Single());
        return receiver;
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>Answers the next <paramref name="count"/> requests with <paramref name="status"/> (and a <c>Retry-After</c>, if given).</summary>
    public void FailNext(int count, int status = StatusCodes.Status500InternalServerError, string? retryAfter = null)
    {
        lock (_gate)
        {
            (_failuresLeft, _failureStatus, _retryAfter) = (count, status, retryAfter);
        }
    }

    /// <summary>Requests wait, unanswered, until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _hold?.TrySetResult();
            _hold = null;
        }
    }

    /// <summary>Waits (up to 10 s, on the real clock: the server's sender works over real sockets) until <paramref name="done"/> holds for what was received.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var received = Received;
            if (done(received))
            {
                return received;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The receiver did not get what was expected within 10 s; it got {received.Count} requests: {string.Join(", ", received.Select(r => $"{r.Path} {r.Type} → {r.Status}"))}");
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until <paramref name="count"/> messages delivered (answered 2xx) to <paramref name="path"/>.</summary>
    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForDeliveredAsync(string path, int count) =>
        (await WaitForAsync(all => all.Count(r => r.Path == path && r.Delivered) >= count)).Where(r => r.Path == path && r.Delivered).ToList();

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        Task? hold;
        int status;
        string? retryAfter;
        lock (_gate)
        {
            hold = _hold?.Task;
            status = _failuresLeft > 0 ? _failureStatus : StatusCodes.Status200OK;
            retryAfter = _failuresLeft > 0 ? _retryAfter : null;
            _failuresLeft = Math.Max(0, _failuresLeft - 1);
        }

        if (hold is not null)
        {
            Interlocked.Increment(ref _waiting);
            await hold;
            Interlocked.Decrement(ref _waiting);
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _received.Enqueue(new ReceivedWebhook(context.Request.Path, headers, body, status, DateTime.UtcNow));
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        context.Response.StatusCode = status;
    }
}

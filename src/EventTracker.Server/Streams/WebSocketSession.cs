using System.Net.WebSockets;

namespace EventTracker.Server.Streams;

/// <summary>
/// One WebSocket client: live messages go out as text frames with the same envelopes as SSE; the client may send
/// <c>{"type":"filter",…}</c>, <c>{"type":"track","eventName":…,"payload":…}</c> and <c>{"type":"ping"}</c>.
/// A message that is not understood is answered with an <c>error</c> envelope; one over the size limit closes
/// the socket with a policy violation. A client that does not accept a message within the send timeout has stopped
/// reading: its connection is aborted, so it holds neither the send lock nor the server's shutdown.
/// </summary>
internal sealed class WebSocketSession : IDisposable
{
    private readonly WebSocket _socket;
    private readonly StreamSubscription _subscription;
    private readonly WebSocketMessageHandler _messages;
    private readonly int _maxMessageBytes;
    private readonly TimeSpan _sendTimeout;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    // Cancels the send in progress when the session stops or the send outlasts the timeout: one for the session, its
    // timer moved per send (under the send lock), where a token source, a link and a timer per message cost a reader
    // that keeps up more than the message itself.
    private CancellationTokenSource _sendDeadline = null!; // set for the run
    private CancellationToken _stopping;

    /// <param name="socket">The accepted socket.</param>
    /// <param name="subscription">The client's live messages.</param>
    /// <param name="messages">Answers what the client sends.</param>
    /// <param name="maxMessageBytes">The largest message the client may send.</param>
    /// <param name="sendTimeout">How long the client may take to accept one message.</param>
    public WebSocketSession(WebSocket socket, StreamSubscription subscription, WebSocketMessageHandler messages, int maxMessageBytes, TimeSpan sendTimeout)
    {
        _socket = socket;
        _subscription = subscription;
        _messages = messages;
        _maxMessageBytes = maxMessageBytes;
        _sendTimeout = sendTimeout;
    }

    /// <summary>
    /// Runs the session until the client closes it or goes away. When <paramref name="serverStopping"/> fires, the client
    /// gets a close frame (1001, going away) and the session ends with the closing handshake — cancelling a socket
    /// operation instead would abort the connection without one.
    /// </summary>
    public async Task RunAsync(CancellationToken requestAborted, CancellationToken serverStopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        using var sendDeadline = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        _stopping = stop.Token;
        _sendDeadline = sendDeadline;
        var sending = SendLiveMessagesAsync(stop.Token);
        using var closing = serverStopping.Register(() => _ = CloseForShutdownAsync());
        try
        {
            await ReceiveAsync(requestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away, or broke the protocol (a text frame that is not UTF-8 gets close 1007 from the
            // platform, which then aborts): the endpoint reads the connection to its end (LingeringUpgrade).
        }
        finally
        {
            await stop.CancelAsync();
            await sending;
        }
    }

    public void Dispose() => _sendLock.Dispose();

    private async Task SendLiveMessagesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _subscription.ReadAllAsync(cancellationToken))
            {
                await SendAsync(message.Json, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[_maxMessageBytes];
        while (_socket.State == WebSocketState.Open)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    await CloseAsync(WebSocketCloseStatus.PolicyViolation, $"Messages are limited to {_maxMessageBytes} bytes");
                    return;
                }

                result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await CloseAsync(WebSocketCloseStatus.NormalClosure, null);
                return;
            }

            await SendAsync(await _messages.HandleAsync(buffer.AsMemory(0, length), cancellationToken), cancellationToken);
        }
    }

    // A send waits for the one before it, whose own deadline bounds that wait: a stuck send aborts the socket.
    private async Task SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            _sendDeadline.CancelAfter(_sendTimeout);
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _sendDeadline.Token);
            _sendDeadline.CancelAfter(Timeout.InfiniteTimeSpan);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _socket.Abort();
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The client stopped reading: a message waited longer than the send timeout.");
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task CloseForShutdownAsync()
    {
        try
        {
            if (!await _sendLock.WaitAsync(_sendTimeout))
            {
                // A send is stuck on a client that stopped reading: no close frame can go out before it.
                _socket.Abort();
                return;
            }

            try
            {
                if (_socket.State == WebSocketState.Open)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "Server shutting down", timeout.Token);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone already.
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string? reason)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseAsync(status, reason, timeout.Token);
        }
    }
}

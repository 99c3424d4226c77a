using Microsoft.AspNetCore.Http.Features;

namespace EventTracker.Server.Streams;

/// <summary>
/// The upgraded connection of a WebSocket request, kept open until the session says how to end it. On a protocol error
/// (a reserved opcode, a text frame that is not UTF-8) the platform sends its close frame and then aborts the
/// connection; with the rest of the client's bytes unread, the operating system answers the close with a TCP reset,
/// which can destroy the close frame before the client reads it. Held here, the connection is instead read to its end
/// (or for a short while), so the client gets the close frame and then an orderly end.
/// </summary>
internal sealed class LingeringUpgrade : IHttpUpgradeFeature
{
    // The first byte of a client's close frame (FIN set, opcode 8): its answer to ours, after which nothing more comes.
    private const byte CloseFrame = 0x88;

    private readonly IHttpUpgradeFeature _inner;
    private Stream? _connection;

    private LingeringUpgrade(IHttpUpgradeFeature inner) => _inner = inner;

    public bool IsUpgradableRequest => _inner.IsUpgradableRequest;

    /// <summary>Puts itself in front of the request's upgrade feature, before the WebSocket middleware reads it.</summary>
    public static void Install(HttpContext context)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { } inner)
        {
            var lingering = new LingeringUpgrade(inner);
            context.Features.Set<IHttpUpgradeFeature>(lingering);
            context.Features.Set(lingering);
        }
    }

    public async Task<Stream> UpgradeAsync()
    {
        _connection = await _inner.UpgradeAsync();
        return new HeldStream(_connection);
    }

    /// <summary>Reads and discards what the client still sends, until it closes or <paramref name="limit"/> passes.</summary>
    public async Task DrainAsync(TimeSpan limit)
    {
        if (_connection is null)
        {
            return;
        }

        // Without cancelling the read: a cancelled read of an upgraded connection aborts it, with the reset this avoids.
        var buffer = new byte[4096];
        var deadline = Task.Delay(limit);
        try
        {
            while (true)
            {
                var read = _connection.ReadAsync(buffer).AsTask();
                if (await Task.WhenAny(read, deadline) == deadline || await read is var length && length == 0 || buffer[0] == CloseFrame)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client is gone: the connection can end now.
        }
    }

    // The WebSocket disposes its stream when it aborts; the connection itself ends with the request.
    private sealed class HeldStream(Stream inner) : Stream
    {
        public Stream Inner { get; } = inner;

        public override bool CanRead => Inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => Inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => Inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => Inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => Inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Inner.WriteAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        // Not passed on: the connection is drained or ends with the request.
        protected override void Dispose(bool disposing) => base.Dispose(disposing);
    }
}

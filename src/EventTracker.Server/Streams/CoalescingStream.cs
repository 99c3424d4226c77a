using System.Buffers;

namespace EventTracker.Server.Streams;

/// <summary>
/// The response stream of an SSE reader, holding back writes while more messages are already waiting for it: what is
/// written goes out when the reader's queue is empty, <see cref="MaxHeldBytes"/> are held, or on a flush. A reader that
/// keeps up gets each message at once; one that is behind (or does not read) costs one socket write per batch, not one
/// per message.
/// </summary>
internal sealed class CoalescingStream(Stream inner, Func<bool> morePending) : Stream
{
    /// <summary>Most bytes held back before a flush goes through anyway.</summary>
    public const int MaxHeldBytes = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _held = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _held.Write(buffer.Span);
        return _held.WrittenCount < MaxHeldBytes && morePending() ? ValueTask.CompletedTask : SendHeldAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => SendHeldAsync(cancellationToken).AsTask();

    private async ValueTask SendHeldAsync(CancellationToken cancellationToken)
    {
        if (_held.WrittenCount == 0)
        {
            return;
        }

        await inner.WriteAsync(_held.WrittenMemory, cancellationToken);
        await inner.FlushAsync(cancellationToken);
        _held.ResetWrittenCount();
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace EventTracker.Server.Storage.Durable;

/// <summary>
/// The event log on disk: append-only segment files named after the first sequence they hold
/// (<c>00000001764320000000000-0000.log</c>), of <see cref="LogFrame"/>s. New frames go to the active segment, which is
/// closed for a new one once it is too large or too old; closed segments are deleted once every event in them has
/// left the store. Not thread-safe: <see cref="DurableEventStore"/> guards it.
/// </summary>
internal sealed partial class SegmentLog : IDisposable
{
    private const string Extension = ".log";

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly TimeSpan _segmentMaxAge;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<LogSegment> _closed = [];

    private SafeFileHandle? _active;
    private string? _activePath;
    private long _activeFirstSequence;
    private long _activeLength;
    private long _lastAppendStart;
    private DateTimeOffset _activeOpenedAt;
    private long _nextSequence;

    public SegmentLog(string directory, long segmentBytes, TimeSpan segmentMaxAge, TimeProvider time, ILogger logger)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _segmentMaxAge = segmentMaxAge;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Reads every segment, oldest first, handing each whole frame to <paramref name="onFrame"/>
    /// (repeated text columns shared through <paramref name="textPool"/>). A torn or damaged
    /// frame at the end of the last segment is cut off (it was never acknowledged); damage inside an older segment
    /// skips the rest of that segment. Both are logged. Returns the first sequence found, if any.
    /// </summary>
    public long? Recover(StringPool textPool, Action<RecoveredFrame> onFrame)
    {
        var files = Directory.GetFiles(_directory, "*" + Extension)
            .Select(path => (Path: path, First: ParseFirstSequence(path)))
            .Where(f => f.First is not null)
            .OrderBy(f => Path.GetFileName(f.Path), StringComparer.Ordinal)
            .ToList();
        long? firstSequence = null;
        for (var i = 0; i < files.Count; i++)
        {
            var (path, first) = files[i];
            var isLast = i == files.Count - 1;
            var next = first!.Value;
            var data = File.ReadAllBytes(path);
            var offset = 0;
            while (offset < data.Length)
            {
                var status = LogFrame.TryRead(data.AsSpan(offset), textPool, out var frame, out var length);
                if (status != FrameStatus.Complete)
                {
                    if (isLast)
                    {
                        LogTruncatedTail(_logger, Path.GetFileName(path), offset, data.Length - offset, status);
                        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
                        RandomAccess.SetLength(handle, offset);
                        RandomAccess.FlushToDisk(handle);
                        data = data[..offset];
                    }
                    else
                    {
                        LogDamagedSegment(_logger, Path.GetFileName(path), offset, data.Length - offset, status);
                    }

                    break;
                }

                firstSequence ??= frame.FirstSequence;
                next = Math.Max(next, frame.FirstSequence + frame.Events.Count);
                onFrame(frame);
                offset += length;
            }

            firstSequence ??= first;
            _nextSequence = Math.Max(_nextSequence, next);
            if (isLast)
            {
                OpenActive(path, first.Value, offset);
            }
            else
            {
                _closed.Add(new LogSegment(path, first.Value, next));
            }
        }

        return firstSequence;
    }

    /// <summary>
    /// Appends frames whose first sequence is <paramref name="firstSequence"/> and after which the next sequence is
    /// <paramref name="nextSequence"/>. A failed write is cut back off the file before the exception is rethrown.
    /// </summary>
    public void Append(ReadOnlySpan<byte> frames, long firstSequence, long nextSequence)
    {
        if (_active is null || _activeLength >= _segmentBytes || _time.GetUtcNow() - _activeOpenedAt >= _segmentMaxAge)
        {
            Roll(firstSequence);
        }

        try
        {
            RandomAccess.Write(_active!, frames, _activeLength);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryCutBack();
            throw;
        }

        _lastAppendStart = _activeLength;
        _activeLength += frames.Length;
        _nextSequence = nextSequence;
    }

    /// <summary>Cuts the last append back off the active segment, when it could not be flushed and so was not acknowledged.</summary>
    public void UndoLastAppend()
    {
        _activeLength = _lastAppendStart;
        TryCutBack();
    }

    /// <summary>Forces what was appended to disk (<c>fsync</c>).</summary>
    public void FlushToDisk()
    {
        if (_active is not null)
        {
            RandomAccess.FlushToDisk(_active);
        }
    }

    /// <summary>Deletes the closed segments whose events all come before <paramref name="firstHeldSequence"/>.</summary>
    public void DeleteSegmentsBefore(long firstHeldSequence)
    {
        while (_closed.Count > 0 && _closed[0].NextSequence <= firstHeldSequence)
        {
            File.Delete(_closed[0].Path);
            _closed.RemoveAt(0);
        }
    }

    public void Dispose()
    {
        if (_active is not null)
        {
            RandomAccess.FlushToDisk(_active);
            _active.Dispose();
            _active = null;
        }
    }

    private void Roll(long firstSequence)
    {
        if (_active is not null)
        {
            RandomAccess.FlushToDisk(_active);
            _active.Dispose();
            _closed.Add(new LogSegment(_activePath!, _activeFirstSequence, _nextSequence));
            _active = null;
        }

        string path;
        var attempt = 0;
        do
        {
            path = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"{firstSequence:D20}-{attempt++:D4}{Extension}"));
        }
        while (File.Exists(path));

        OpenActive(path, firstSequence, 0);
    }

    private void OpenActive(string path, long firstSequence, long length)
    {
        _active = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        _activePath = path;
        _activeFirstSequence = firstSequence;
        _activeLength = length;
        _activeOpenedAt = _time.GetUtcNow();
    }

    private void TryCutBack()
    {
        try
        {
            RandomAccess.SetLength(_active!, _activeLength);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Recovery cuts off whatever partial frame is left, as after a crash.
        }
    }

    private static long? ParseFirstSequence(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && long.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var first) ? first : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cut off an unfinished write at the end of log segment {Segment}: {Bytes} bytes from offset {Offset} ({Status}); it had not been acknowledged.")]
    private static partial void LogTruncatedTail(ILogger logger, string segment, long offset, long bytes, FrameStatus status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Log segment {Segment} is damaged at offset {Offset} ({Status}); its last {Bytes} bytes were skipped and the segment kept as it is.")]
    private static partial void LogDamagedSegment(ILogger logger, string segment, long offset, long bytes, FrameStatus status);
}

using System.Text;

namespace EventTracker.Client;

/// <summary>
/// A batch request body built one event at a time, each serialized once, with its client-made id, so the size
/// limit can be checked as events are added and every retry sends the same ids.
/// </summary>
internal sealed class BatchBody
{
    private static readonly byte[] Separator = ","u8.ToArray();
    private readonly List<byte[]> _events = [];
    private readonly int _maxBytes;
    private int _bytes;

    public BatchBody(int maxBytes) => _maxBytes = maxBytes;

    public string BatchId { get; } = "batch-" + EventTrackerClient.NewId();

    public int Count => _events.Count;

    /// <summary>Adds the serialized event, unless it would take a non-empty body past the size limit.</summary>
    public bool TryAdd(byte[] serializedEvent)
    {
        if (_events.Count > 0 && _bytes + serializedEvent.Length + 1 > _maxBytes)
        {
            return false;
        }

        _events.Add(serializedEvent);
        _bytes += serializedEvent.Length + 1;
        return true;
    }

    /// <summary>The body of one attempt: <paramref name="sentAt"/> (ms) lets the server correct the events' times when this clock is off.</summary>
    public byte[] ToArray(long sentAt)
    {
        using var body = new MemoryStream(_bytes + 96);
        body.Write(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{{\"batchId\":\"{BatchId}\",\"sentAt\":{sentAt},\"events\":[")));
        for (var i = 0; i < _events.Count; i++)
        {
            if (i > 0)
            {
                body.Write(Separator);
            }

            body.Write(_events[i]);
        }

        body.Write("]}"u8);
        return body.ToArray();
    }
}

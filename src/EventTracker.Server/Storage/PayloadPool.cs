namespace EventTracker.Server.Storage;

/// <summary>
/// One shared array for each small payload that repeats: what is left of a payload once its fields became columns is
/// often the same metadata on every event of a feature or route. Holds at most a fixed number of distinct payloads and
/// never forgets one; once full, new payloads are kept as they came. Not thread-safe: <see cref="EventTable"/> uses it
/// under its owner's lock.
/// </summary>
internal sealed class PayloadPool
{
    /// <summary>Payloads longer than this are kept as they came: long ones rarely repeat exactly.</summary>
    public const int MaxBytes = 256;

    private const int MaxPayloads = 10_000;

    private readonly Dictionary<byte[], byte[]> _payloads = new(ContentComparer.Instance);

    /// <summary>The pooled array equal to <paramref name="payload"/>, or <paramref name="payload"/> itself.</summary>
    public byte[] Share(byte[] payload)
    {
        if (payload.Length > MaxBytes)
        {
            return payload;
        }

        if (_payloads.TryGetValue(payload, out var pooled))
        {
            return pooled;
        }

        if (_payloads.Count < MaxPayloads)
        {
            _payloads.Add(payload, payload);
        }

        return payload;
    }

    private sealed class ContentComparer : IEqualityComparer<byte[]>
    {
        public static readonly ContentComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] bytes)
        {
            var hash = default(HashCode);
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}

using System.Buffers.Binary;
using System.Buffers.Text;

namespace EventTracker.Server.Http;

/// <summary>The opaque paging cursor of <c>GET /api/events</c>: the position of the last event returned.</summary>
internal static class EventCursor
{
    public static string Encode(long sequence)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64BigEndian(bytes, sequence);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string cursor, out long sequence)
    {
        sequence = 0;
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        if (!Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != sizeof(long))
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return sequence >= 0;
    }
}

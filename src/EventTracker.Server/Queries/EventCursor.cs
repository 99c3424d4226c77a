using System.Buffers.Binary;
using System.Buffers.Text;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Queries;

/// <summary>The opaque paging cursor of <c>GET /api/events</c>: the position (event time and sequence) of the last event returned.</summary>
internal static class EventCursor
{
    private const int Length = 2 * sizeof(long);
    private const int EncodedLength = 22; // 16 bytes in base64url, unpadded

    public static string Encode(EventPosition position)
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, position.Timestamp);
        BinaryPrimitives.WriteInt64BigEndian(bytes[sizeof(long)..], position.Sequence);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryDecode(string cursor, out EventPosition position)
    {
        position = default;
        Span<byte> bytes = stackalloc byte[Length];
        if (cursor.Length != EncodedLength || !cursor.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != Length)
        {
            return false;
        }

        position = new EventPosition(BinaryPrimitives.ReadInt64BigEndian(bytes), BinaryPrimitives.ReadInt64BigEndian(bytes[sizeof(long)..]));
        return position.Sequence >= 0;
    }
}

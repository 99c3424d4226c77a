using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace EventTracker.Server.Storage.Durable;

/// <summary>
/// The on-disk form of one append (a single event, or a whole batch, so a batch is kept or lost as a unit):
/// <c>[body length: int32 LE][CRC-32 of body: uint32 LE][body]</c>. The body holds the first sequence, the timestamp,
/// the arrival time, the batch id (if any) and the events' columns (with the time each happened, when the client
/// gave one) and payload JSON.
/// </summary>
internal static class LogFrame
{
    /// <summary>Bytes before the body: its length and its checksum.</summary>
    public const int HeaderBytes = 8;

    /// <summary>No frame body is larger; a length beyond it can only be damage.</summary>
    public const int MaxBodyBytes = 256 * 1024 * 1024;

    private const byte Version = 2;

    public static void Write(IBufferWriter<byte> output, AppendOperation operation)
    {
        var body = new ArrayBufferWriter<byte>(256 + operation.ToStore.Sum(e => e.PayloadJson.Length + 64));
        body.Write([Version]);
        WriteInt64(body, operation.FirstSequence);
        WriteInt64(body, operation.Timestamp);
        WriteString(body, operation.BatchId);
        WriteVarint(body, (ulong)operation.ToStore.Count);
        foreach (var e in operation.ToStore)
        {
            WriteString(body, e.Name);
            WriteString(body, e.ServiceName);
            WriteString(body, e.UserId);
            WriteString(body, e.SessionId);
            WriteString(body, e.CorrelationId);
            WriteString(body, e.ClientEventId);
            WriteString(body, e.UserAgent);
            WriteString(body, e.Referrer);
            WriteString(body, e.UserRole);
            WriteVarint(body, e.StatusCode is { } status ? (ulong)status + 1 : 0);
            body.Write([e.ResponseTimeMs is null ? (byte)0 : (byte)1]);
            if (e.ResponseTimeMs is { } ms)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(body.GetSpan(8), ms);
                body.Advance(8);
            }

            body.Write([e.OccurredAt is null ? (byte)0 : (byte)1]);
            if (e.OccurredAt is { } occurredAt)
            {
                WriteInt64(body, occurredAt);
            }

            WriteVarint(body, (ulong)e.PayloadJson.Length);
            body.Write(e.PayloadJson);
        }

        var header = output.GetSpan(HeaderBytes);
        BinaryPrimitives.WriteInt32LittleEndian(header, body.WrittenCount);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(body.WrittenSpan));
        output.Advance(HeaderBytes);
        output.Write(body.WrittenSpan);
    }

    /// <summary>
    /// Reads the frame at the start of <paramref name="data"/>. <see cref="FrameStatus.Incomplete"/> when the data ends
    /// inside it (a torn write), <see cref="FrameStatus.Damaged"/> when its checksum or contents are wrong. Repeated text
    /// columns are shared through <paramref name="textPool"/>.
    /// </summary>
    public static FrameStatus TryRead(ReadOnlySpan<byte> data, StringPool textPool, out RecoveredFrame frame, out int length)
    {
        frame = default;
        length = 0;
        if (data.Length < HeaderBytes)
        {
            return FrameStatus.Incomplete;
        }

        var bodyLength = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (bodyLength is <= 0 or > MaxBodyBytes)
        {
            return FrameStatus.Damaged;
        }

        if (data.Length - HeaderBytes < bodyLength)
        {
            return FrameStatus.Incomplete;
        }

        var body = data.Slice(HeaderBytes, bodyLength);
        if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(data[4..]))
        {
            return FrameStatus.Damaged;
        }

        try
        {
            frame = Decode(body, textPool);
        }
        catch (FormatException)
        {
            return FrameStatus.Damaged;
        }

        length = HeaderBytes + bodyLength;
        return FrameStatus.Complete;
    }

    private static RecoveredFrame Decode(ReadOnlySpan<byte> body, StringPool textPool)
    {
        var reader = new SpanReader(body);
        if (reader.Byte() != Version)
        {
            throw new FormatException("Unknown frame version.");
        }

        var firstSequence = reader.Int64();
        var timestamp = reader.Int64();
        var batchId = reader.String();
        var count = reader.Count();
        var events = new List<NewEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var name = reader.String() ?? throw new FormatException("An event without a name.");
            var service = reader.String();
            var user = reader.String();
            var session = reader.String();
            var correlation = reader.String();
            var clientId = reader.String();
            var userAgent = reader.String();
            var referrer = reader.String();
            var role = reader.String();
            var status = reader.Varint();
            double? responseTime = reader.Byte() == 1 ? reader.Double() : null;
            long? occurredAt = reader.Byte() == 1 ? reader.Int64() : null;
            var payload = reader.Bytes(reader.Count());
            events.Add(new NewEvent(name, service, user, session, correlation, status == 0 ? null : (int)(status - 1), responseTime, clientId, payload)
            {
                OccurredAt = occurredAt,
                UserAgent = Pooled(userAgent),
                Referrer = Pooled(referrer),
                UserRole = Pooled(role),
            });
        }

        if (!reader.AtEnd)
        {
            throw new FormatException("Trailing bytes in a frame.");
        }

        return new RecoveredFrame(firstSequence, timestamp, batchId, events);

        string? Pooled(string? value) => value is null ? null : textPool.TryIntern(value) ?? value;
    }

    private static void WriteInt64(ArrayBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        output.Advance(i);
    }

    // Null is written as length 0, a string of n bytes as n + 1.
    private static void WriteString(ArrayBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteVarint(output, 0);
            return;
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        WriteVarint(output, (ulong)bytes + 1);
        Encoding.UTF8.GetBytes(value, output.GetSpan(bytes));
        output.Advance(bytes);
    }

    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        public byte Byte() => Take(1)[0];

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new FormatException("A varint longer than 64 bits.");
        }

        public int Count() => Varint() is var n && n <= int.MaxValue ? (int)n : throw new FormatException("A count out of range.");

        public string? String()
        {
            var n = Count();
            return n == 0 ? null : Encoding.UTF8.GetString(Take(n - 1));
        }

        public byte[] Bytes(int count) => Take(count).ToArray();

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > _data.Length - _position)
            {
                throw new FormatException("A frame ends early.");
            }

            var slice = _data.Slice(_position, count);
            _position += count;
            return slice;
        }
    }
}

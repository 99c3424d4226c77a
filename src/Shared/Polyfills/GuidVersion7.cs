// Compiled into the builds for frameworks before .NET 9, which added Guid.CreateVersion7.
namespace System;

internal static class GuidVersion7
{
    extension(Guid)
    {
        /// <summary>A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by time.</summary>
        public static Guid CreateVersion7()
        {
            var bytes = Guid.NewGuid().ToByteArray();
            var milliseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

            // Guid's byte layout keeps the first three fields little-endian: a (bytes 0-3), b (4-5), c (6-7).
            var a = (int)(milliseconds >> 16);
            var b = (short)(milliseconds & 0xFFFF);
            var c = (short)((BitConverter.ToInt16(bytes, 6) & 0x0FFF) | 0x7000);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(a, b, c, bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
        }
    }
}

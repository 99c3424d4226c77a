using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;

namespace EventTracker.Server.Streams;

/// <summary>The socket under a stream connection, sized for a reader that may stop reading.</summary>
internal static class StreamSocket
{
    /// <summary>
    /// Fixes the connection's kernel send buffer at <paramref name="bytes"/> (0 leaves it alone), which also stops the
    /// kernel from growing it. Connections that are not on a socket (tests' in-memory server, a Unix pipe) are left as
    /// they are.
    /// </summary>
    public static void LimitSendBuffer(HttpContext context, int bytes)
    {
        if (bytes > 0 && context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            try
            {
                socket.SendBufferSize = bytes;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The connection is already gone: the stream's first write reports it.
            }
        }
    }
}

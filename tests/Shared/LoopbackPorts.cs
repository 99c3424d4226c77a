using System.Net;
using System.Net.Sockets;

namespace EventTracker.Testing;

/// <summary>Ports on 127.0.0.1 for the servers tests and benchmarks start themselves.</summary>
internal static class LoopbackPorts
{
    // Below Linux's ephemeral range (32768–60999): the kernel never hands these to an outgoing connection or a bind to
    // port 0, so a port a test frees to restart its server there cannot be taken meanwhile by another test's client
    // or mock server. None is given twice in a process.
    private const int Lowest = 20_000;
    private const int Highest = 32_767;
    private static readonly HashSet<int> Given = [];

    /// <summary>A port nothing listens on now: free to bind, and refused when connected to.</summary>
    public static int Free()
    {
        lock (Given)
        {
            while (true)
            {
                var port = Random.Shared.Next(Lowest, Highest + 1);
                if (Given.Contains(port) || !CanBind(port))
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }
        }
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

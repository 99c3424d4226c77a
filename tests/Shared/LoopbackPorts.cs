using System.Net;
using System.Net.Sockets;

namespace EventTracker.Testing;

/// <summary>Ports on 127.0.0.1 for the servers tests and benchmarks start themselves.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on now: free to bind, and refused when connected to.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

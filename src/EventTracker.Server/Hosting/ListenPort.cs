using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EventTracker.Server.Hosting;

/// <summary>The port the server listens on at localhost, from <c>--port</c> or the <c>PORT</c> environment variable.</summary>
internal static class ListenPort
{
    /// <summary>The port when neither is given.</summary>
    public const int Default = 3000;

    /// <summary>What to do about an address in use, after the sentence that says so.</summary>
    public const string InUseAdvice = "Another server may be running there: stop it, or choose another port with --port or PORT.";

    private const string LocalUrl = "http://localhost:";

    /// <summary>Reads <paramref name="text"/> as a port: digits only, 1 to 65535.</summary>
    public static bool TryParse(string? text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    /// <summary>The one line that says why <paramref name="text"/>, given as <paramref name="source"/>, is not a port.</summary>
    public static string Problem(string source, string? text) => $"{source} must be a number between 1 and 65535, not '{text}'.";

    /// <summary>The address the server listens on for <paramref name="port"/>.</summary>
    public static string Url(int port) => LocalUrl + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether the localhost port <paramref name="app"/> is to listen on (<see cref="Url"/>, served by Kestrel) is taken
    /// already: asked before the host starts, whose own failure to bind is logged with two stack traces.
    /// </summary>
    public static bool IsTakenFor(WebApplication app)
    {
        if (app.Services.GetRequiredService<IServer>().GetType().Assembly != typeof(KestrelServerOptions).Assembly
            || app.Configuration["urls"] is not { } urls
            || !urls.StartsWith(LocalUrl, StringComparison.Ordinal)
            || !TryParse(urls[LocalUrl.Length..], out var port))
        {
            return false;
        }

        try
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }
}

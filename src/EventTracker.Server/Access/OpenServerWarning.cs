using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EventTracker.Server.Access;

/// <summary>Warns loudly when a server without API keys listens beyond this machine: anyone who reaches it reads every event.</summary>
internal static partial class OpenServerWarning
{
    public static void LogIfExposed(WebApplication app)
    {
        if (!app.Services.GetRequiredService<ApiKeyRegistry>().IsOpen
            || app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>() is not { } addresses)
        {
            return;
        }

        var exposed = addresses.Addresses.Where(a => !IsLoopback(a)).ToList();
        if (exposed.Count > 0)
        {
            LogExposed(app.Logger, string.Join(", ", exposed));
        }
    }

    private static bool IsLoopback(string address)
    {
        var host = BindingAddress.Parse(address).Host;
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "No API keys are configured and the server listens on {Addresses}: anyone who can reach it can send events and read every event. Configure EventTracker:Auth:Keys (eventtracker-server keys new prints one).")]
    private static partial void LogExposed(ILogger logger, string addresses);
}

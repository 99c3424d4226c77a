using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;

namespace EventTracker.Server.Tests.Mcp;

/// <summary>The official C# MCP client, connected to the test server's <c>/mcp</c> over Streamable HTTP as an agent connects.</summary>
internal static class McpConnection
{
    public static async Task<McpClient> ConnectAsync(HttpClient http)
    {
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions { Endpoint = new Uri(http.BaseAddress!, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp },
            http,
            NullLoggerFactory.Instance);
        return await McpClient.CreateAsync(transport);
    }
}

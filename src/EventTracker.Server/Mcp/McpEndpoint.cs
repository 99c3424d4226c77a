using System.Reflection;
using EventTracker.Contracts;
using EventTracker.Server.Access;
using ModelContextProtocol.AspNetCore;

namespace EventTracker.Server.Mcp;

/// <summary>
/// The MCP server at <c>/mcp</c> (Streamable HTTP, stateless, so any node can answer): read-only tools and the
/// guide's analysis prompts over the same query service and analytics as the REST API, behind the read scope when the server has API keys.
/// </summary>
internal static class McpEndpoint
{
    public static IServiceCollection AddEventTrackerMcp(this IServiceCollection services)
    {
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new() { Name = "EventTracker", Version = typeof(McpEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0.0" };
                options.ServerInstructions =
                    "Events tracked from web pages, .NET services and jobs. Start with list_services or get_statistics for "
                    + "the picture, get_service_health for one service, query_events for examples, trace_correlation for one request.";
            })
            .WithHttpTransport(options => options.SessionMode = HttpServerSessionMode.Stateless)
            .WithRequestFilters(filters => filters.AddCallToolFilter(ArgumentShapeFilter.Wrap))
            .WithEventTrackerTools<EventTools>()
            .WithEventTrackerTools<ServiceTools>()
            .WithPrompts<AnalysisPromptsMcp>(McpJson.Options);
        services.AddSingleton<McpParamsCheck>();
        return services;
    }

    /// <summary>Puts <see cref="McpRequestGate"/> in front of <c>/mcp</c>, after authentication and rate limiting.</summary>
    public static void UseEventTrackerMcpGate(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.Equals(EventTrackerRoutes.Mcp, StringComparison.OrdinalIgnoreCase),
            branch => branch.UseMiddleware<McpRequestGate>());

    public static void MapEventTrackerMcp(this IEndpointRouteBuilder app) =>
        app.MapMcp(EventTrackerRoutes.Mcp)
            .RequireAuthorization(Scopes.Read)
            .RequireRateLimiting(ReadRateLimitPolicy.Name);
}

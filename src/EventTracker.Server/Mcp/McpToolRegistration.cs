using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace EventTracker.Server.Mcp;

/// <summary>
/// Registers the tools of a class as <c>WithTools&lt;T&gt;</c> does (an instance per call, from the request's services),
/// with the server's JSON conventions (<see cref="McpJson"/>) and schemas that hold for them (<see cref="OutputSchemas"/>).
/// </summary>
internal static class McpToolRegistration
{
    public static IMcpServerBuilder WithEventTrackerTools<T>(this IMcpServerBuilder builder)
        where T : class
    {
        foreach (var method in typeof(T).GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.IsDefined(typeof(McpServerToolAttribute))))
        {
            builder.Services.AddSingleton(services => McpServerTool.Create(
                method,
                request => ActivatorUtilities.CreateInstance<T>(request.Services ?? services),
                new McpServerToolCreateOptions { Services = services, SerializerOptions = McpJson.Options, SchemaCreateOptions = OutputSchemas.CreateOptions }));
        }

        return builder;
    }
}

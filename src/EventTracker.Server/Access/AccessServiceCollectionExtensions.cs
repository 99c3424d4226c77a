using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace EventTracker.Server.Access;

/// <summary>Registers API keys, the authentication handler and one authorization policy per scope.</summary>
internal static class AccessServiceCollectionExtensions
{
    public static IServiceCollection AddApiKeyAccess(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyRegistry>();
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var policies = services.AddAuthorizationBuilder();
        foreach (var scope in Scopes.All)
        {
            policies.AddPolicy(scope, policy => policy.AddRequirements(new ScopeRequirement(scope)));
        }

        return services;
    }
}

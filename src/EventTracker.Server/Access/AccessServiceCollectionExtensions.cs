using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace EventTracker.Server.Access;

/// <summary>Registers API keys (and JWT sign-in when configured), the authentication handlers, one authorization policy per scope, and the rate limits.</summary>
internal static class AccessServiceCollectionExtensions
{
    public static IServiceCollection AddApiKeyAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyRegistry>();
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        var jwt = configuration.GetSection(AccessOptions.Section).Get<AccessOptions>()?.Jwt ?? new JwtOptions();
        var authentication = services.AddAuthentication(jwt.IsEnabled ? JwtSignIn.SelectorScheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (jwt.IsEnabled)
        {
            authentication.AddJwtSignIn(jwt);
        }

        var policies = services.AddAuthorizationBuilder();
        foreach (var scope in Scopes.All)
        {
            policies.AddPolicy(scope, policy => policy.AddRequirements(new ScopeRequirement(scope)));
        }

        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EventRateLimit>();
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, ReadRateLimitPolicy>(ReadRateLimitPolicy.Name));
        return services;
    }
}

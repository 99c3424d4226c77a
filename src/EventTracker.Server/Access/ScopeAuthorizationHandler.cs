using Microsoft.AspNetCore.Authorization;

namespace EventTracker.Server.Access;

/// <summary>Grants a <see cref="ScopeRequirement"/> to every request while no keys are configured, else to keys that carry the scope.</summary>
internal sealed class ScopeAuthorizationHandler(ApiKeyRegistry registry) : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (registry.IsOpen)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        if (context.Resource is HttpContext http && http.GetApiKey() is { } key)
        {
            var originAllowed = key.AllowsOrigin(http.Request.Headers.Origin.ToString().TrimEnd('/'));
            if (key.Allows(requirement.Scope) && originAllowed)
            {
                context.Succeed(requirement);
            }
            else
            {
                http.SetAccessRefusal(new AccessRefusal(requirement.Scope, OriginRefused: !originAllowed));
            }
        }

        return Task.CompletedTask;
    }
}

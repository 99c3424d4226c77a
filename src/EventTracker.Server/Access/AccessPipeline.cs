using Microsoft.Extensions.Options;

namespace EventTracker.Server.Access;

/// <summary>
/// The access middleware, only where it has work: with no API keys and no sign-in every request is let in, so
/// authentication and authorization would only confirm that on each request; with no read limit the rate limiter
/// would only hand out unlimited permits. A disabled feature costs nothing.
/// </summary>
internal static class AccessPipeline
{
    /// <summary>
    /// Lets endpoints keep their scope metadata on an open server, where the authorization middleware is left out
    /// (routing would otherwise refuse to run an endpoint whose authorization nothing checked).
    /// </summary>
    public static IServiceCollection AllowUncheckedScopesWhenOpen(this IServiceCollection services)
    {
        services.AddOptions<Microsoft.AspNetCore.Routing.RouteOptions>()
            .PostConfigure<ApiKeyRegistry>((routing, registry) => routing.SuppressCheckForUnhandledSecurityMetadata = registry.IsOpen);
        return services;
    }

    public static IApplicationBuilder UseEventTrackerAccess(this IApplicationBuilder app)
    {
        if (!app.ApplicationServices.GetRequiredService<ApiKeyRegistry>().IsOpen)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        if (app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.ReadsPerSecond > 0)
        {
            app.UseRateLimiter();
        }

        return app;
    }
}

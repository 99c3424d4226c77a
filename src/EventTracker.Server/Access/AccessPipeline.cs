using Microsoft.Extensions.Options;

namespace EventTracker.Server.Access;

/// <summary>
/// The access middleware in its place in the pipeline: authentication and authorization always (with no keys they let
/// every request in, and left out, ASP.NET Core would add them itself at the front of the pipeline, before the CORS
/// headers), the rate limiter only with a read limit configured — without one it would only hand out unlimited
/// permits. A disabled feature costs nothing.
/// </summary>
internal static class AccessPipeline
{
    public static IApplicationBuilder UseEventTrackerAccess(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        if (app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.ReadsPerSecond > 0)
        {
            app.UseRateLimiter();
        }

        return app;
    }
}

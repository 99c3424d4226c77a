using Microsoft.AspNetCore.StaticFiles;

namespace EventTracker.Server.Http;

/// <summary>
/// Serves wwwroot: <c>/api/monitor.js</c>, the dashboard at <c>/</c> and <c>/test-cors.html</c>. Pages get a strict
/// Content-Security-Policy (only this origin's scripts and styles, nothing inline); the CORS test page may also
/// connect to any origin, since checking another server is its purpose.
/// </summary>
internal static class StaticAssets
{
    private const string StrictPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static IApplicationBuilder UseEventTrackerStaticAssets(this IApplicationBuilder app)
    {
        app.UseDefaultFiles();
        return app.UseStaticFiles(new StaticFileOptions
        {
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                var name = context.File.Name;
                if (name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                {
                    headers.ContentSecurityPolicy = name.Equals("test-cors.html", StringComparison.OrdinalIgnoreCase)
                        ? StrictPolicy.Replace("connect-src 'self'", "connect-src *", StringComparison.Ordinal)
                        : StrictPolicy;
                    headers.XContentTypeOptions = "nosniff";
                    headers.CacheControl = "no-cache";
                }
                else
                {
                    headers.CacheControl = "public, max-age=300";
                }
            },
        });
    }
}

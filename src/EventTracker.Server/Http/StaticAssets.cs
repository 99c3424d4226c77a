using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;

namespace EventTracker.Server.Http;

/// <summary>
/// Serves wwwroot: <c>/api/monitor.js</c> (and its overlay), the dashboard at <c>/</c> and <c>/test-cors.html</c>,
/// compressed with Brotli or gzip when the browser takes it, with an ETag and a short cache that must be revalidated.
/// Pages get a strict Content-Security-Policy (only this origin's scripts and styles, nothing inline); the CORS test
/// page may also connect to any origin, since checking another server is its purpose.
/// </summary>
internal static class StaticAssets
{
    // Only the static assets' types: API answers stay uncompressed, and the event stream must never be buffered.
    private static readonly string[] CompressedTypes = ["text/javascript", "application/javascript", "text/css", "text/html", "image/svg+xml"];

    public static IServiceCollection AddEventTrackerStaticAssets(this IServiceCollection services) =>
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true; // these files hold no secrets, so BREACH has nothing to find
            options.MimeTypes = CompressedTypes;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
        });

    private const string StrictPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public static IApplicationBuilder UseEventTrackerStaticAssets(this IApplicationBuilder app)
    {
        app.UseResponseCompression();
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
                    // monitor.js lives at a fixed address in users' pages: cached briefly, then revalidated by its ETag.
                    headers.CacheControl = "public, max-age=300, must-revalidate";
                }
            },
        });
    }
}

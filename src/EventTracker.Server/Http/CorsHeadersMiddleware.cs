namespace EventTracker.Server.Http;

/// <summary>
/// Sends the API's documented CORS headers on every response and answers preflights with 200.
/// Hand-written because ASP.NET Core's CORS middleware echoes the requested headers instead of sending this fixed
/// list, and omits <c>Access-Control-Allow-Credentials: false</c>; the seed's clients rely on the exact set.
/// Logs each request with its origin at Debug (the seed's line; at Information it would cost every request a console write).
/// </summary>
internal sealed partial class CorsHeadersMiddleware
{
    private const string AllowedMethods = "GET, POST, PUT, DELETE, OPTIONS, PATCH";
    private const string AllowedHeaders =
        "Content-Type, Authorization, X-Requested-With, X-Monitor-Request, X-User-Id, X-Session-Id, X-Correlation-Id, "
        + "Accept, Origin, User-Agent, Referer, Idempotency-Key, X-Event-Id, Last-Event-ID, X-API-Key";

    private readonly RequestDelegate _next;
    private readonly ILogger<CorsHeadersMiddleware> _logger;
    private readonly AllowedOrigins _allowedOrigins;

    public CorsHeadersMiddleware(RequestDelegate next, ILogger<CorsHeadersMiddleware> logger, AllowedOrigins allowedOrigins)
    {
        _next = next;
        _logger = logger;
        _allowedOrigins = allowedOrigins;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        var headers = context.Response.Headers;
        var allowOrigin = _allowedOrigins.AllowsAny ? "*" : origin.Length > 0 && _allowedOrigins.Allows(origin) ? origin : null;
        if (allowOrigin is not null)
        {
            headers.AccessControlAllowOrigin = allowOrigin;
        }

        headers.AccessControlAllowMethods = AllowedMethods;
        headers.AccessControlAllowHeaders = AllowedHeaders;
        headers.AccessControlAllowCredentials = "false";
        headers.AccessControlMaxAge = "86400";
        headers.Vary = "Origin";

        if (HttpMethods.IsOptions(request.Method))
        {
            LogPreflight(request.Path, origin);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        }

        if (request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            LogApiRequest(request.Method, request.Path, origin);
        }

        return _next(context);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "API Request: {Method} {Path} from origin: {Origin}")]
    private partial void LogApiRequest(string method, PathString path, string origin);

    [LoggerMessage(Level = LogLevel.Debug, Message = "CORS preflight for {Path} from origin: {Origin}")]
    private partial void LogPreflight(PathString path, string origin);
}

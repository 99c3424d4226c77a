using EventTracker.Server.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace EventTracker.Server.Http;

/// <summary>
/// Answers any request that found the store unavailable (a database restarting) with 503, <c>Retry-After</c> and
/// problem details, wherever it surfaced: reads as well as the ingestion endpoints, which refuse it themselves.
/// </summary>
internal sealed class StoreUnavailableHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StoreUnavailableException unavailable || httpContext.Response.HasStarted)
        {
            return false;
        }

        await Problems.Unavailable(httpContext.Response, "store", unavailable.Message, unavailable.RetryAfter).ExecuteAsync(httpContext);
        return true;
    }
}

using EventTracker.AspNetCore;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds request tracking to an ASP.NET Core pipeline.</summary>
public static class EventTrackingApplicationBuilderExtensions
{
    /// <summary>
    /// Tracks every request through the <c>IEventTracker</c> registered by <c>AddEventTracker</c>, with the
    /// <see cref="EventTrackingOptions"/> registered by <c>AddEventTracking</c>. Place it after routing (the default
    /// for minimal APIs) so events carry the route template.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The application, for chaining.</returns>
    /// <exception cref="InvalidOperationException"><c>services.AddEventTracking()</c> was not called.</exception>
    public static IApplicationBuilder UseEventTracking(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetService<EventTrackingMarker>() is null)
        {
            throw new InvalidOperationException(
                "UseEventTracking needs the services of request tracking: call builder.Services.AddEventTracking() (and AddEventTracker for the tracker) before building the app.");
        }

        return app.UseMiddleware<EventTrackingMiddleware>();
    }
}

using EventTracker.AspNetCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds request tracking to an ASP.NET Core pipeline.</summary>
public static class EventTrackingApplicationBuilderExtensions
{
    /// <summary>
    /// Tracks every request through the <c>IEventTracker</c> registered by <c>AddEventTracker</c>. Place it after
    /// routing (the default for minimal APIs) so events carry the route template.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="configure">Changes to the default <see cref="EventTrackingOptions"/>.</param>
    /// <returns>The application, for chaining.</returns>
    public static IApplicationBuilder UseEventTracking(this IApplicationBuilder app, Action<EventTrackingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = new EventTrackingOptions();
        configure?.Invoke(options);
        return app.UseMiddleware<EventTrackingMiddleware>(Options.Create(options));
    }
}

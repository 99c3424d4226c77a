using EventTracker.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the request tracking of <c>UseEventTracking</c>.</summary>
public static class EventTrackingServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>UseEventTracking</c> needs: its <see cref="EventTrackingOptions"/> (checked when the host
    /// starts: an invalid one fails the start with an <see cref="OptionsValidationException"/> naming it) and the
    /// clock it times requests with (the registered <see cref="TimeProvider"/>, else the system's). The tracker itself
    /// comes from <c>AddEventTracker</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Changes to the default options; also <c>services.Configure&lt;EventTrackingOptions&gt;</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddEventTracking(this IServiceCollection services, Action<EventTrackingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<EventTrackingOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventTrackingOptions>, EventTrackingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EventTrackingMarker>();
        return services;
    }
}

using EventTracker.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers EventTracker with dependency injection.</summary>
public static class EventTrackerServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the client uses, for further configuration.</summary>
    public const string HttpClientName = "EventTracker";

    /// <summary>
    /// Registers <see cref="EventTrackerClient"/> (transient, over a resilient <see cref="HttpClient"/> from
    /// <see cref="IHttpClientFactory"/>), <see cref="IEventTracker"/> as a singleton, and a hosted service that flushes
    /// it on shutdown within <see cref="EventTrackerClientOptions.ShutdownTimeout"/>. The options are checked when the
    /// host starts: an invalid one fails the start with an <see cref="OptionsValidationException"/> naming it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddEventTracker(this IServiceCollection services, Action<EventTrackerClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EventTrackerClientOptions>().Configure(configure).ValidateOnStart();
        return services.AddEventTrackerCore();
    }

    /// <summary>As <see cref="AddEventTracker(IServiceCollection, Action{EventTrackerClientOptions})"/>, with options bound from the <c>EventTracker</c> section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration whose <c>EventTracker</c> section holds the options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddEventTracker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EventTrackerClientOptions>().Bind(configuration.GetSection(EventTrackerClientOptions.Section)).ValidateOnStart();
        return services.AddEventTrackerCore();
    }

    private static IServiceCollection AddEventTrackerCore(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventTrackerClientOptions>, EventTrackerClientOptionsValidator>());
        services.AddHttpClient(HttpClientName)
            .ConfigureHttpClient((provider, http) =>
            {
                if (provider.GetRequiredService<IOptions<EventTrackerClientOptions>>().Value.BaseAddress is { } address)
                {
                    http.BaseAddress = address;
                }

                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline times requests; streams stay open
            })
            .RemoveAllLoggers() // not an Information line per batch: the tracker logs what goes wrong, once per outage
            .AddResilienceHandler("EventTracker", (builder, context) => EventTrackerResilience.Configure(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<EventTrackerClientOptions>>().Value,
                context.ServiceProvider.GetService<ILoggerFactory>()));
        services.AddTransient(provider => new EventTrackerClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetRequiredService<IOptions<EventTrackerClientOptions>>().Value)
        {
            Time = provider.GetService<TimeProvider>() ?? TimeProvider.System, // the host's clock, as the tracker's
        });
        services.AddSingleton<IEventTracker>(provider => new BackgroundEventTracker(
            provider.GetRequiredService<EventTrackerClient>(),
            provider.GetService<ILogger<BackgroundEventTracker>>(),
            provider.GetService<TimeProvider>(),
            provider.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddHostedService<EventTrackerFlushService>();
        return services;
    }
}

using Microsoft.Extensions.Options;

namespace EventTracker.Server.Alerts;

/// <summary>Registers the alert webhooks: options validated at start, the dispatcher the insight engine publishes to, the sender and its HTTP client.</summary>
internal static class AlertsServiceCollectionExtensions
{
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AlertMetrics>();
        services.AddSingleton<AlertDispatcher>();
        services.AddSingleton<IInsightAlerts>(provider => provider.GetRequiredService<AlertDispatcher>());
        services.AddHostedService<AlertSender>();
        services.AddTransient<WebhookSigningHandler>();
        var client = services.AddHttpClient(AlertSender.HttpClientName)
            .ConfigureHttpClient(http =>
            {
                http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline times each attempt
                http.DefaultRequestHeaders.UserAgent.ParseAdd("EventTracker-Alerts/1.0");
            })
            // A redirect would turn the POST into a GET elsewhere; a webhook that moved is an error to see and fix.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .RemoveAllLoggers(); // not an Information line per message: the sender logs a webhook's failures and recovery
        client.AddResilienceHandler("webhook", (builder, context) => AlertResilience.Configure(
            builder,
            context.ServiceProvider.GetRequiredService<IOptions<AlertOptions>>().Value,
            context.ServiceProvider.GetRequiredService<ILoggerFactory>()));
        client.AddHttpMessageHandler<WebhookSigningHandler>(); // inside the retries: each attempt is stamped and signed anew
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Add(AlertsJsonContext.Default));
        return services;
    }
}

using System.Reflection;
using EventTracker.Server.Access;
using EventTracker.Server.Alerts;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace EventTracker.Server.Telemetry;

/// <summary>
/// The server's own metrics through OpenTelemetry: its meters (<see cref="ServerMetrics"/>, <see cref="ServerGauges"/>,
/// the alerts'), ASP.NET Core's and Kestrel's (<c>http.server.request.duration</c>, connections) and the runtime's,
/// scraped at <c>/metrics</c> (Prometheus; admin scope when the server has keys) and pushed over OTLP when the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, with the server's spans (<see cref="ServerActivities"/>) and ASP.NET Core's.
/// <c>EventTracker:Metrics:Enabled=false</c> turns all of it off.
/// </summary>
internal static class TelemetryRegistration
{
    /// <summary>Where Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    private const string EnabledSetting = "EventTracker:Metrics:Enabled";

    private static readonly string[] PlatformMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics", "System.Runtime", "System.Net.Http"];

    public static IServiceCollection AddEventTrackerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<ServerGauges>();
        if (!IsEnabled(configuration))
        {
            return services;
        }

        var version = typeof(TelemetryRegistration).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "eventtracker-server", serviceVersion: version))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([ServerMetrics.MeterName, AlertMetrics.MeterName, .. PlatformMeters]).AddPrometheusExporter();
                if (ExportsOverOtlp(configuration))
                {
                    metrics.AddOtlpExporter();
                }
            });

        // Spans only go somewhere when a collector is named; without one, none are recorded.
        if (ExportsOverOtlp(configuration))
        {
            services.AddOpenTelemetry().WithTracing(tracing => tracing
                .AddSource(ServerActivities.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        }

        return services;
    }

    /// <summary>Maps <c>/metrics</c> and starts the instruments read when scraped.</summary>
    public static void MapEventTrackerMetrics(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration))
        {
            return;
        }

        app.Services.GetRequiredService<ServerGauges>();
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(Scopes.Admin);
    }

    /// <summary>Whether OpenTelemetry's standard setting names a collector to push to.</summary>
    public static bool ExportsOverOtlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    private static bool IsEnabled(IConfiguration configuration) => configuration.GetValue(EnabledSetting, defaultValue: true);
}

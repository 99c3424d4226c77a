using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Alerts;
using EventTracker.Server.Ai;
using EventTracker.Server.Analytics;
using EventTracker.Server.Endpoints;
using EventTracker.Server.Hosting;
using EventTracker.Server.Http;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Insights;
using EventTracker.Server.Mcp;
using EventTracker.Server.Otlp;
using EventTracker.Server.Queries;
using EventTracker.Server.Storage;
using EventTracker.Server.Storage.Durable;
using EventTracker.Server.Streams;
using EventTracker.Server.Telemetry;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

return ServerCommandLine.Run(args, RunServer);

static int RunServer(string[] hostArgs, IReadOnlyDictionary<string, string?> commandLineSettings)
{
    // Installed as a tool (or published), the server runs from any directory: its wwwroot lies beside the program.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = hostArgs,
        ContentRootPath = Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot")) ? AppContext.BaseDirectory : null,
    });
    builder.Configuration.AddInMemoryCollection(commandLineSettings);

    // PORT (default 3000) applies unless URLs were given explicitly (--urls or ASPNETCORE_URLS).
    if (string.IsNullOrEmpty(builder.Configuration["urls"]))
    {
        var port = ListenPort.Default;
        if (builder.Configuration["PORT"] is { } portSetting && !ListenPort.TryParse(portSetting, out port))
        {
            Console.Error.WriteLine(ListenPort.Problem("PORT", portSetting));
            return ServerCommandLine.UsageError;
        }

        builder.WebHost.UseUrls(ListenPort.Url(port));
    }

    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddOptions<EventStoreOptions>().BindConfiguration(EventStoreOptions.Section).ValidateDataAnnotations().ValidateOnStart();
    builder.Services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
    builder.Services.AddOptions<SuggestionOptions>().BindConfiguration(SuggestionOptions.Section);
    builder.Services.AddOptions<InsightOptions>().BindConfiguration(InsightOptions.Section).ValidateDataAnnotations().ValidateOnStart();
    builder.Services.AddOptions<StreamOptions>().BindConfiguration(StreamOptions.Section).ValidateDataAnnotations().ValidateOnStart();
    builder.Services.AddEventStore(builder.Configuration);
    builder.Services.AddSingleton<AnalyticsProjection>();
    builder.Services.AddSingleton<FilteredAnalytics>();
    builder.Services.AddSingleton<ServiceAnalytics>();
    builder.Services.AddSingleton<EventQueryService>();
    builder.Services.AddSingleton<CorrelationTrace>();
    builder.Services.AddSingleton<AnalysisPrompts>();
    builder.Services.AddSingleton<FeatureExport>();
    builder.Services.AddAlerts();
    builder.Services.AddInsightLedger();
    builder.Services.AddSingleton<InsightEngine>();
    builder.Services.AddHostedService<InsightMonitor>();
    builder.Services.AddSingleton<SuggestionEngine>();
    builder.Services.AddSingleton<PayloadCodec>();
    builder.Services.AddSingleton<EventIngestor>();
    builder.Services.AddSingleton<EventAdmission>();
    builder.Services.AddEventTrackerTelemetry(builder.Configuration);
    builder.Services.AddSingleton<RequestBodyReader>();
    builder.Services.AddSingleton<OtlpIngestion>();
    builder.Services.AddSingleton<EventBroadcaster>();
    builder.Services.AddHostedService<StreamHeartbeat>();
    builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, EventTrackerJsonContext.Default));
    builder.Services.AddApiKeyAccess(builder.Configuration);
    builder.Services.AddSingleton<AllowedOrigins>();
    builder.Services.AddEventTrackerStaticAssets();
    builder.Services.AddProblemDetails();
    builder.Services.Configure<KeyManagementOptions>(keys =>
    {
        keys.XmlRepository = new InMemoryKeyRepository();
        keys.XmlEncryptor = new NullXmlEncryptor();
    });
    builder.Services.AddRequestDecompression();
    builder.Services.AddOpenApi();
    builder.Services.AddEventTrackerMcp();
    builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store");
    builder.Services.AddExceptionHandler<StoreUnavailableHandler>();

    var app = builder.Build();
    if (ListenPort.IsTakenFor(app))
    {
        Console.Error.WriteLine($"Failed to bind to address {app.Configuration["urls"]}: address already in use. {ListenPort.InUseAdvice}");
        return 1;
    }

    // Recover the store and rebuild what follows it before the first request, not during it.
    try
    {
        app.Services.GetRequiredService<AnalyticsProjection>();
        app.Services.GetRequiredService<EventBroadcaster>();
    }
    catch (Exception e) when (e is DataDirectoryInUseException or StoreUnavailableException)
    {
        Console.Error.WriteLine(e.Message);
        return 1;
    }

    // Kestrel's protocol errors (bad framing, stalled bodies) keep their own 4xx wherever they surface.
    app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError });
    app.UseStatusCodePages();
    app.UseMiddleware<CorsHeadersMiddleware>();
    app.UseEventTrackerStaticAssets();
    app.UseRequestDecompression();
    app.UseEventTrackerAccess();
    app.UseEventTrackerMcpGate();
    app.UseLingeringWebSocketClose();
    app.UseWebSockets();

    app.MapIngestionEndpoints();
    app.MapOtlpEndpoints();
    app.MapQueryEndpoints();
    app.MapAnalyticsEndpoints();
    app.MapStreamEndpoints();
    app.MapAiEndpoints();
    app.MapAlertEndpoints();
    app.MapEventTrackerMcp();
    app.MapOpenApi();
    app.MapHealthChecks(EventTrackerRoutes.Health);
    app.MapEventTrackerMetrics();

    app.Lifetime.ApplicationStarted.Register(() => OpenServerWarning.LogIfExposed(app));
    try
    {
        app.Run();
    }
    catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
    {
        Console.Error.WriteLine($"{e.Message} {ListenPort.InUseAdvice}");
        return 1;
    }

    return 0;
}

using Microsoft.Extensions.Options;

namespace EventTracker.Server.Insights;

/// <summary>Evaluates insights every <see cref="InsightOptions.EvaluationInterval"/>, so the live streams hear of new ones without anyone asking.</summary>
internal sealed partial class InsightMonitor : BackgroundService
{
    private readonly InsightEngine _engine;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger<InsightMonitor> _logger;
    private readonly Telemetry.ServerMetrics _metrics;

    public InsightMonitor(InsightEngine engine, TimeProvider time, IOptions<InsightOptions> options, ILogger<InsightMonitor> logger, Telemetry.ServerMetrics metrics)
    {
        _engine = engine;
        _metrics = metrics;
        _time = time;
        _interval = options.Value.EvaluationInterval;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await _engine.EvaluateAsync(stoppingToken);
                _metrics.InsightEvaluated();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.EvaluationFailed(_logger, e);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Error, Message = "Evaluating insights failed; the next evaluation will try again.")]
        public static partial void EvaluationFailed(ILogger logger, Exception exception);
    }
}

using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Streams;

/// <summary>Sends <c>stats</c> and <c>ping</c> messages to every live reader at the configured intervals.</summary>
internal sealed class StreamHeartbeat : BackgroundService
{
    private readonly EventBroadcaster _broadcaster;
    private readonly IEventStore _store;
    private readonly AnalyticsProjection _projection;
    private readonly TimeProvider _time;
    private readonly StreamOptions _options;

    public StreamHeartbeat(EventBroadcaster broadcaster, IEventStore store, AnalyticsProjection projection, TimeProvider time, IOptions<StreamOptions> options)
    {
        _broadcaster = broadcaster;
        _store = store;
        _projection = projection;
        _time = time;
        _options = options.Value;
    }

    public StreamStats CurrentStats()
    {
        var now = _time.GetUtcNow();
        var lastMinute = _projection.Summarize(now.AddMinutes(-1).ToUnixTimeMilliseconds(), null);
        var all = _projection.Summarize(null, null);
        var services = lastMinute.Services.Values;
        return new StreamStats
        {
            TotalEvents = all.Count,
            TotalServices = all.Services.Count,
            EventsLastMinute = lastMinute.Count,
            ErrorRateLastMinute = ServiceAnalytics.Percentage(services.Sum(s => s.Errors), lastMinute.Count),
            AvgResponseTimeLastMinute = ServiceAnalytics.AverageResponseTime(services),
            Subscribers = _broadcaster.SubscriberCount,
            EvictedEvents = _store.EvictedCount,
            DroppedMessages = _broadcaster.DroppedMessages,
            Timestamp = now,
        };
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            RepeatAsync(_options.StatsInterval, () =>
                Envelope.Serialize(StreamMessageTypes.Stats, CurrentStats(), EventTrackerJsonContext.Default.StreamStats), stoppingToken),
            RepeatAsync(_options.PingInterval, () =>
                Envelope.Serialize(StreamMessageTypes.Ping, _time.GetUtcNow(), EventTrackerJsonContext.Default.DateTimeOffset), stoppingToken));

    private async Task RepeatAsync(TimeSpan interval, Func<byte[]> message, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (_broadcaster.SubscriberCount > 0)
                {
                    _broadcaster.PublishToAll(message());
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}

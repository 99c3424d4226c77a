using System.Threading.Channels;
using EventTracker.Contracts;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Alerts;

/// <summary>
/// Turns episode openings and closings into one message per matching webhook and queues them for
/// <see cref="AlertSender"/>, never waiting: the queue is bounded (<see cref="AlertOptions.QueueCapacity"/>) and,
/// when full, drops its oldest message and counts it. A closing goes to the webhooks its opening went to, so a
/// channel that heard of an episode also hears of its end, whatever its priority became meanwhile.
/// </summary>
internal sealed partial class AlertDispatcher : IInsightAlerts
{
    private readonly Webhook[] _webhooks;
    private readonly Channel<AlertDelivery> _queue;
    private readonly TimeProvider _time;
    private readonly AlertMetrics _metrics;
    private readonly ILogger<AlertDispatcher> _logger;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Webhook[]> _openedTo = new(StringComparer.Ordinal);
    private int _overflowing;

    public AlertDispatcher(IOptions<AlertOptions> options, TimeProvider time, AlertMetrics metrics, ILogger<AlertDispatcher> logger)
    {
        _webhooks = options.Value.Webhooks.Select(w => new Webhook(w)).ToArray();
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _capacity = options.Value.QueueCapacity;
        _queue = Channel.CreateBounded<AlertDelivery>(
            new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
    }

    public IReadOnlyList<Webhook> Webhooks => _webhooks;

    /// <summary>Messages waiting to be sent.</summary>
    public int Queued => _queue.Reader.Count;

    public ChannelReader<AlertDelivery> Reader => _queue.Reader;

    /// <inheritdoc/>
    public void Publish(IReadOnlyList<AIInsight> opened, IReadOnlyList<AIInsight> closed)
    {
        if (_webhooks.Length == 0 || (opened.Count == 0 && closed.Count == 0))
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var insight in opened)
        {
            var targets = Array.FindAll(_webhooks, w => w.Matches(insight));
            if (targets.Length > 0)
            {
                lock (_gate)
                {
                    _openedTo[insight.Id] = targets;
                }

                Enqueue(targets, AlertMessageTypes.InsightOpened, AlertMessage.ForInsight(AlertMessageTypes.InsightOpened, now, insight));
            }
        }

        foreach (var insight in closed)
        {
            Webhook[]? targets;
            lock (_gate)
            {
                _openedTo.Remove(insight.Id, out targets);
            }

            if (targets is not null)
            {
                Enqueue(targets, AlertMessageTypes.InsightClosed, AlertMessage.ForInsight(AlertMessageTypes.InsightClosed, now, insight));
            }
        }
    }

    /// <summary>Queues an <c>alert.test</c> message for each of <paramref name="targets"/>, whatever their filters.</summary>
    public IReadOnlyList<AlertDelivery> Test(IEnumerable<Webhook> targets)
    {
        var now = _time.GetUtcNow();
        return targets.Select(w => Enqueue(w, AlertMessageTypes.Test, AlertMessage.ForTest(now, w))).ToList();
    }

    /// <summary>Counts what is still queued as dropped, when the server stops before sending it.</summary>
    public int DropQueued()
    {
        var dropped = 0;
        while (_queue.Reader.TryRead(out var delivery))
        {
            _metrics.Dropped(delivery.Webhook);
            dropped++;
        }

        return dropped;
    }

    /// <summary>The queue has been emptied: the next overflow is worth a warning again.</summary>
    public void Drained() => Volatile.Write(ref _overflowing, 0);

    private void Enqueue(Webhook[] targets, string type, byte[] body)
    {
        foreach (var webhook in targets)
        {
            Enqueue(webhook, type, body);
        }
    }

    private AlertDelivery Enqueue(Webhook webhook, string type, byte[] body)
    {
        var delivery = new AlertDelivery(webhook, "msg_" + Guid.CreateVersion7().ToString("N"), type, body);
        _queue.Writer.TryWrite(delivery); // always true: a full queue drops its oldest instead
        return delivery;
    }

    private void OnDropped(AlertDelivery delivery)
    {
        _metrics.Dropped(delivery.Webhook);
        if (Interlocked.Exchange(ref _overflowing, 1) == 0)
        {
            Log.QueueFull(_logger, _capacity);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning,
            Message = "The alert queue is full ({Capacity} messages): the oldest are dropped and counted (GET /api/alerts, eventtracker.alerts.dropped) until it drains.")]
        public static partial void QueueFull(ILogger logger, int capacity);
    }
}

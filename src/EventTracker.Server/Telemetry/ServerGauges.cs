using System.Diagnostics.Metrics;
using EventTracker.Server.Insights;
using EventTracker.Server.Storage;
using EventTracker.Server.Streams;

namespace EventTracker.Server.Telemetry;

/// <summary>
/// The <c>EventTracker.Server</c> meter's instruments read when scraped: events held and evicted, the write queue and
/// disk syncs of stores that write behind their appends, stream readers and the messages dropped for readers that fell
/// behind, and open insight episodes. Created once at start.
/// </summary>
internal sealed class ServerGauges
{
    public ServerGauges(IMeterFactory meterFactory, IEventStore store, EventBroadcaster broadcaster, InsightEngine insights)
    {
        var meter = meterFactory.Create(ServerMetrics.MeterName);
        meter.CreateObservableGauge("eventtracker.store.events.held", () => store.Count, "{event}", "Events the store holds.");
        meter.CreateObservableCounter("eventtracker.store.events.evicted", () => store.EvictedCount, "{event}", "Events removed for capacity or age since start.");
        if (store is IWriteStatistics writes)
        {
            meter.CreateObservableGauge("eventtracker.store.queue.depth", () => writes.QueuedEvents, "{event}", "Events taken and not yet written.");
            meter.CreateObservableCounter("eventtracker.store.disk_syncs", () => writes.DiskSyncs, "{sync}", "Times the store forced its writes to disk (fsync).");
            meter.CreateObservableCounter("eventtracker.store.disk_sync.time", () => writes.DiskSyncSeconds, "s", "Time spent forcing writes to disk.");
        }

        meter.CreateObservableUpDownCounter("eventtracker.stream.readers", () => (long)broadcaster.SubscriberCount, "{connection}", "Open SSE and WebSocket stream connections.");
        meter.CreateObservableCounter(
            "eventtracker.stream.messages.dropped",
            () => new Measurement<long>(broadcaster.DroppedMessages, new KeyValuePair<string, object?>("reason", "reader_behind")),
            "{message}",
            "Stream messages dropped for readers that fell behind (each reader is told in a dropped message).");
        meter.CreateObservableGauge("eventtracker.insights.open", () => (long)insights.OpenCount, "{insight}", "Insight episodes open as of the latest evaluation.");
    }
}

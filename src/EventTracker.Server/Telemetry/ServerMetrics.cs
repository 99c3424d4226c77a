using System.Diagnostics.Metrics;
using EventTracker.Server.Ingestion;

namespace EventTracker.Server.Telemetry;

/// <summary>
/// The <c>EventTracker.Server</c> meter's counters and histograms: events accepted, replayed and refused (by transport
/// and reason), batch sizes, store append time, MCP tool calls, OTLP records and insight evaluations. What is read
/// when scraped (events held, queue depth, stream readers) is in <see cref="ServerGauges"/>.
/// </summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "EventTracker.Server";

    private readonly Counter<long> _accepted;
    private readonly Counter<long> _replayed;
    private readonly Counter<long> _refused;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _appendDuration;
    private readonly Counter<long> _mcpCalls;
    private readonly Counter<long> _otlpRecords;
    private readonly Counter<long> _insightEvaluations;

    public ServerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _accepted = meter.CreateCounter<long>("eventtracker.events.accepted", "{event}", "Events stored, by transport.");
        _replayed = meter.CreateCounter<long>("eventtracker.events.replayed", "{event}", "Events acknowledged again without being stored: a client event id or batch id seen before.");
        _refused = meter.CreateCounter<long>(
            "eventtracker.events.refused", "{event}",
            "Events refused, by transport and reason (validation, rate_limit, shed, store_unavailable); a request refused before its events were read counts as one.");
        _batchSize = meter.CreateHistogram<int>(
            "eventtracker.batch.size", "{event}", "Events per batch request and OTLP export.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000] });
        _appendDuration = meter.CreateHistogram<double>(
            "eventtracker.store.append.duration", "s", "Time for the store to take an append (one event or one batch), durably as the store promises.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _mcpCalls = meter.CreateCounter<long>("eventtracker.mcp.calls", "{call}", "MCP tool calls, by tool and outcome (ok, error).");
        _otlpRecords = meter.CreateCounter<long>("eventtracker.otlp.records", "{record}", "OTLP spans and log records, by signal (traces, logs) and outcome (accepted, rejected).");
        _insightEvaluations = meter.CreateCounter<long>("eventtracker.insights.evaluations", "{evaluation}", "Insight evaluations run.");
    }

    public void Accepted(IngestTransport transport, long count)
    {
        if (count > 0)
        {
            _accepted.Add(count, Transport(transport));
        }
    }

    public void Replayed(IngestTransport transport, long count)
    {
        if (count > 0)
        {
            _replayed.Add(count, Transport(transport));
        }
    }

    public void Refused(IngestTransport transport, RefusalReason reason, long count) =>
        _refused.Add(count, Transport(transport), new KeyValuePair<string, object?>("reason", ReasonTag(reason)));

    public void BatchSize(IngestTransport transport, int count) => _batchSize.Record(count, Transport(transport));

    public void AppendDuration(TimeSpan elapsed) => _appendDuration.Record(elapsed.TotalSeconds);

    public void McpCall(string tool, bool failed) =>
        _mcpCalls.Add(1, new KeyValuePair<string, object?>("tool", tool), new KeyValuePair<string, object?>("outcome", failed ? "error" : "ok"));

    public void OtlpRecords(string signal, long accepted, long rejected)
    {
        var tag = new KeyValuePair<string, object?>("signal", signal);
        if (accepted > 0)
        {
            _otlpRecords.Add(accepted, tag, new KeyValuePair<string, object?>("outcome", "accepted"));
        }

        if (rejected > 0)
        {
            _otlpRecords.Add(rejected, tag, new KeyValuePair<string, object?>("outcome", "rejected"));
        }
    }

    public void InsightEvaluated() => _insightEvaluations.Add(1);

    private static KeyValuePair<string, object?> Transport(IngestTransport transport) => new("transport", transport switch
    {
        IngestTransport.Http => "http",
        IngestTransport.Batch => "batch",
        IngestTransport.WebSocket => "websocket",
        _ => "otlp",
    });

    /// <summary>How metrics and spans name a refusal's reason.</summary>
    public static string ReasonTag(RefusalReason reason) => reason switch
    {
        RefusalReason.Invalid => "validation",
        RefusalReason.RateLimited => "rate_limit",
        RefusalReason.Shed => "shed",
        _ => "store_unavailable",
    };
}

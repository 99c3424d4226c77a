using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventTracker.Contracts;

/// <summary>
/// Source-generated JSON metadata for every Contracts type: camelCase names, null fields left out,
/// times as ISO 8601 UTC. Use <see cref="Default"/> for trimming- and AOT-safe serialization.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcIsoDateTimeConverter)])]
[JsonSerializable(typeof(AIEventPayload))]
[JsonSerializable(typeof(StoredEvent))]
[JsonSerializable(typeof(TrackEventResponse))]
[JsonSerializable(typeof(BatchTrackEventRequest))]
[JsonSerializable(typeof(BatchTrackEventResponse))]
[JsonSerializable(typeof(EventsResponse))]
[JsonSerializable(typeof(ServicesResponse))]
[JsonSerializable(typeof(EventStatistics))]
[JsonSerializable(typeof(SuggestionsResponse))]
[JsonSerializable(typeof(TimeSeriesResponse))]
[JsonSerializable(typeof(CorrelationTraceResponse))]
[JsonSerializable(typeof(AnalysisPromptResponse))]
[JsonSerializable(typeof(InsightsResponse))]
[JsonSerializable(typeof(AIInsight))]
[JsonSerializable(typeof(StreamMessage))]
[JsonSerializable(typeof(StreamStats))]
[JsonSerializable(typeof(DroppedNotice))]
[JsonSerializable(typeof(StreamErrorData))]
[JsonSerializable(typeof(EventFilter))]
[JsonSerializable(typeof(DateTimeOffset))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(BatchTrackEventItem))]
public sealed partial class EventTrackerJsonContext : JsonSerializerContext;

using System.Text.Json;
using EventTracker.Contracts;

namespace EventTracker.Contracts.Tests;

/// <summary>Stream messages and stored events read the way a user reads them: typed accessors, and default serializer options.</summary>
public sealed class StreamMessageAccessorTests
{
    private const string EventJson = """
        {"id":"42","name":"user-login","userId":"u-1","serviceName":"auth","timestamp":1756290645123,
         "payload":{"serviceName":"auth","statusCode":401,"responseTimeMs":12.5,"sessionId":"s-1","metadata":{"method":"POST"},"plan":"pro"}}
        """;

    [Fact]
    public void A_stored_event_deserializes_with_default_options()
    {
        var stored = JsonSerializer.Deserialize<StoredEvent>(EventJson)!;

        Assert.Equal("42", stored.Id);
        Assert.Equal("user-login", stored.Name);
        Assert.Equal("u-1", stored.UserId);
        Assert.Equal("auth", stored.ServiceName);
        Assert.Equal(1756290645123, stored.Timestamp);
        Assert.Equal(401, stored.Payload.StatusCode);
        Assert.Equal(12.5, stored.Payload.ResponseTimeMs);
        Assert.Equal("s-1", stored.Payload.SessionId);
        Assert.Equal("POST", (string?)stored.Payload.Metadata!["method"]);
        Assert.Equal("pro", stored.Payload.AdditionalProperties!["plan"].GetString());
    }

    [Fact]
    public void Each_message_type_is_read_by_its_own_accessor_and_only_by_it()
    {
        var eventMessage = Message("event", EventJson);
        var statsMessage = Message("stats", """{"totalEvents":7,"subscribers":2,"droppedMessages":0,"timestamp":"2026-03-02T09:05:00.000Z"}""");
        var insightMessage = Message("insight", """{"id":"i-1","type":"performance","priority":0.8,"title":"checkout is slow","description":"p95 up","recommendations":[],"impact":{"userExperience":0.5,"businessMetrics":0.4,"technicalDebt":0.3},"confidence":0.9,"serviceName":"checkout","detectedAt":"2026-03-02T09:05:00.000Z","lastSeenAt":"2026-03-02T09:05:00.000Z","open":true,"evidence":{"metric":"p95ResponseTimeMs","window":{"from":"2026-03-02T09:00:00.000Z","to":"2026-03-02T09:05:00.000Z"},"current":900,"baselineMean":100,"baselineStdDev":20,"zScore":40,"threshold":2,"sampleSize":100,"baselineWindows":12}}""");

        Assert.True(eventMessage.TryGetEvent(out var stored));
        Assert.Equal("user-login", stored.Name);
        Assert.False(eventMessage.TryGetStats(out _));
        Assert.False(eventMessage.TryGetInsight(out _));
        Assert.True(statsMessage.TryGetStats(out var stats));
        Assert.Equal(7, stats.TotalEvents);
        Assert.False(statsMessage.TryGetEvent(out _));
        Assert.True(insightMessage.TryGetInsight(out var insight));
        Assert.Equal("checkout is slow", insight.Title);
        Assert.False(Message("ping", "{}").TryGetEvent(out _));
    }

    private static StreamMessage Message(string type, string data) =>
        JsonSerializer.Deserialize($$"""{"type":"{{type}}","data":{{data}}}""", EventTrackerJsonContext.Default.StreamMessage)!;
}

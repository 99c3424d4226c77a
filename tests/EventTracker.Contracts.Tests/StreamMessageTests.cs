using System.Text.Json;

namespace EventTracker.Contracts.Tests;

public class StreamMessageTests
{
    [Fact]
    public void An_insight_message_reads_as_an_insight_and_not_as_an_event()
    {
        const string Json = """
            {"type":"insight","data":{"id":"ins-3-reliability","type":"reliability","priority":0.74,"title":"checkout fails 30% of the time",
             "description":"…","recommendations":["Roll back"],"impact":{"userExperience":0.67,"businessMetrics":0.52,"technicalDebt":0.37},
             "confidence":0.71,"serviceName":"checkout","detectedAt":"2026-03-02T09:05:00.000Z","lastSeenAt":"2026-03-02T09:05:00.000Z","open":true,
             "evidence":{"metric":"errorRatePercent","window":{"from":"2026-03-02T09:00:00.000Z","to":"2026-03-02T09:05:00.000Z"},"current":30,"baselineMean":1,"baselineStdDev":1,"zScore":29,"threshold":3,"sampleSize":100,"baselineWindows":12}}}
            """;

        var message = JsonSerializer.Deserialize(Json, EventTrackerJsonContext.Default.StreamMessage)!;
        var insight = message.AsInsight()!;

        Assert.Null(message.AsEvent());
        Assert.Equal(("ins-3-reliability", "checkout", 100L), (insight.Id, insight.ServiceName, insight.Evidence.SampleSize));
        Assert.Equal(0.67, insight.Impact.UserExperience);
        Assert.Equal(["Roll back"], insight.Recommendations);
    }

    [Fact]
    public void An_event_message_reads_as_an_event()
    {
        const string Json = """{"type":"event","data":{"id":"evt-1","name":"page-view","payload":{},"timestamp":1700000000000}}""";

        var message = JsonSerializer.Deserialize(Json, EventTrackerJsonContext.Default.StreamMessage)!;

        Assert.Equal("page-view", message.AsEvent()!.Name);
        Assert.Null(message.AsInsight());
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using EventTracker.Contracts;
using EventTracker.Server.Storage;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Tests;

public class PayloadCodecTests
{
    [Fact]
    public async Task Payloads_come_back_as_sent_whether_their_text_was_pooled_or_not()
    {
        var codec = new PayloadCodec(poolCapacity: 2);
        string[] payloads =
        [
            """{"userAgent":"agent-a","referrer":"https://a.example","userRole":"admin","sessionId":"s","correlationId":"c","statusCode":201,"responseTimeMs":12.345,"serviceName":"svc","metadata":{"k":[1,{"x":null}]},"extra":true}""",
            """{"userAgent":"agent-b","referrer":"https://b.example","userRole":"guest"}""",
            """{"userAgent":"agent-a","metadata":{}}""",
            """{}""",
        ];

        using var store = new InMemoryEventStore(Options.Create(new EventStoreOptions()), TimeProvider.System);
        foreach (var json in payloads)
        {
            var payload = JsonSerializer.Deserialize(json, EventTrackerJsonContext.Default.AIEventPayload)!;
            var record = (await store.AppendAsync(codec.ToNewEvent("e", payload, null, null), CancellationToken.None)).Record;

            var decoded = JsonSerializer.Serialize(PayloadCodec.Decode(record), EventTrackerJsonContext.Default.AIEventPayload);

            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(decoded)), decoded);
        }
    }

    [Fact]
    public void Repeated_text_is_shared_and_kept_out_of_the_stored_json_until_the_pool_is_full()
    {
        var codec = new PayloadCodec(poolCapacity: 1);
        var first = codec.ToNewEvent("e", new AIEventPayload { UserAgent = new string('a', 40) }, null, null);
        var second = codec.ToNewEvent("e", new AIEventPayload { UserAgent = new string('a', 40) }, null, null);
        var unpooled = codec.ToNewEvent("e", new AIEventPayload { UserAgent = "other" }, null, null);

        Assert.Same(first.UserAgent, second.UserAgent);
        Assert.Equal("{}", System.Text.Encoding.UTF8.GetString(second.PayloadJson));
        Assert.Null(unpooled.UserAgent);
        Assert.Contains("other", System.Text.Encoding.UTF8.GetString(unpooled.PayloadJson), StringComparison.Ordinal);
    }
}

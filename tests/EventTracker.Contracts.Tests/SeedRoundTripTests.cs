using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace EventTracker.Contracts.Tests;

public class SeedRoundTripTests
{
    public static TheoryData<string, string> Examples => new()
    {
        { nameof(SeedExamples.Payload), SeedExamples.Payload },
        { nameof(SeedExamples.TrackResponse), SeedExamples.TrackResponse },
        { nameof(SeedExamples.BatchRequest), SeedExamples.BatchRequest },
        { nameof(SeedExamples.BatchResponse), SeedExamples.BatchResponse },
        { nameof(SeedExamples.EventsResponse), SeedExamples.EventsResponse },
        { nameof(SeedExamples.ServicesResponse), SeedExamples.ServicesResponse },
        { nameof(SeedExamples.Statistics), SeedExamples.Statistics },
        { nameof(SeedExamples.SuggestionsResponse), SeedExamples.SuggestionsResponse },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Seed_example_round_trips_field_for_field(string name, string json)
    {
        var written = name switch
        {
            nameof(SeedExamples.Payload) => RoundTrip(json, EventTrackerJsonContext.Default.AIEventPayload),
            nameof(SeedExamples.TrackResponse) => RoundTrip(json, EventTrackerJsonContext.Default.TrackEventResponse),
            nameof(SeedExamples.BatchRequest) => RoundTrip(json, EventTrackerJsonContext.Default.BatchTrackEventRequest),
            nameof(SeedExamples.BatchResponse) => RoundTrip(json, EventTrackerJsonContext.Default.BatchTrackEventResponse),
            nameof(SeedExamples.EventsResponse) => RoundTrip(json, EventTrackerJsonContext.Default.EventsResponse),
            nameof(SeedExamples.ServicesResponse) => RoundTrip(json, EventTrackerJsonContext.Default.ServicesResponse),
            nameof(SeedExamples.Statistics) => RoundTrip(json, EventTrackerJsonContext.Default.EventStatistics),
            _ => RoundTrip(json, EventTrackerJsonContext.Default.SuggestionsResponse),
        };

        var expected = Normalize(JsonNode.Parse(json));
        var actual = Normalize(JsonNode.Parse(written));
        Assert.True(JsonNode.DeepEquals(expected, actual), $"Expected {expected?.ToJsonString()}\nbut wrote {actual?.ToJsonString()}");
    }

    [Fact]
    public void Unknown_payload_fields_are_kept_at_the_top_level()
    {
        const string json = """{"serviceName":"web-app","timestamp":1724681445123,"userId":"anonymous","nested":{"a":[1,2]}}""";

        var payload = JsonSerializer.Deserialize(json, EventTrackerJsonContext.Default.AIEventPayload)!;
        var written = JsonSerializer.Serialize(payload, EventTrackerJsonContext.Default.AIEventPayload);

        Assert.Equal("web-app", payload.ServiceName);
        Assert.Equal(3, payload.AdditionalProperties!.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(written)));
    }

    [Fact]
    public void Times_are_written_as_iso_8601_utc_with_milliseconds_and_z()
    {
        var response = new TrackEventResponse
        {
            EventId = "evt-1",
            Timestamp = new DateTimeOffset(2025, 8, 27, 12, 30, 45, 123, TimeSpan.FromHours(2)),
        };

        var json = JsonSerializer.Serialize(response, EventTrackerJsonContext.Default.TrackEventResponse);

        Assert.Contains("\"timestamp\":\"2025-08-27T10:30:45.123Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Stored_event_writes_null_user_and_service_explicitly()
    {
        var stored = new StoredEvent { Id = "evt-1", Name = "tick", Payload = new AIEventPayload(), Timestamp = 1 };

        var json = JsonSerializer.Serialize(stored, EventTrackerJsonContext.Default.StoredEvent);

        Assert.Equal("""{"id":"evt-1","name":"tick","userId":null,"serviceName":null,"payload":{},"timestamp":1}""", json);
    }

    [Fact]
    public void Track_path_escapes_the_event_name()
    {
        Assert.Equal("/api/events/track/a%2Fb%20c", EventTrackerRoutes.TrackPath("a/b c"));
    }

    private static string RoundTrip<T>(string json, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Serialize(JsonSerializer.Deserialize(json, typeInfo)!, typeInfo);

    /// <summary>Rewrites ISO 8601 strings to one form so "10:29:15Z" equals "10:29:15.000Z".</summary>
    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    obj[key] = Normalize(value?.DeepClone());
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Normalize(array[i]?.DeepClone());
                }

                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String
                && value.GetValue<string>() is { Length: >= 20 } text && text[10] == 'T'
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time):
                return JsonValue.Create(time.ToUnixTimeMilliseconds());
            default:
                return node;
        }
    }
}

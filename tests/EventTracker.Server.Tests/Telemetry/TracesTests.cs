using System.Net.Http.Json;
using System.Text;
using EventTracker.Contracts;
using EventTracker.Testing;

namespace EventTracker.Server.Tests.Telemetry;

/// <summary>
/// The server's own spans, followed as an operator follows them: one server exports over OTLP to a second one, which
/// stores each span as an event; the request's span, admission, the append and the query are there, in one trace,
/// each under its parent.
/// </summary>
public sealed class TracesTests
{
    [Fact]
    public async Task With_an_otlp_endpoint_set_a_request_is_traced_through_admission_the_append_and_the_query()
    {
        await using var collector = await ServerProcess.StartAsync(new Dictionary<string, string> { ["EventTracker__Store__DataDirectory"] = string.Empty });
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["EventTracker__Store__DataDirectory"] = string.Empty,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
            ["OTEL_SERVICE_NAME"] = "traced-server",
        });
        using var client = server.CreateClient();
        using var reader = collector.CreateClient();
        using (var response = await client.PostAsync("/api/events/track/traced", new StringContent("""{"serviceName":"shop"}""", Encoding.UTF8, "application/json")))
        {
            response.EnsureSuccessStatusCode();
        }

        (await client.GetAsync("/api/events?serviceName=shop")).EnsureSuccessStatusCode();

        List<StoredEvent> spans = [];
        for (var waited = 0; waited < 300; waited++)
        {
            spans = (await reader.GetFromJsonAsync("/api/events?serviceName=traced-server&limit=100", EventTrackerJsonContext.Default.EventsResponse))!.Events.ToList();
            if (spans.Any(s => s.Name == "eventtracker.query") && spans.Any(s => s.Name == "eventtracker.store.append"))
            {
                break;
            }

            await Task.Delay(100);
        }

        var request = Assert.Single(spans, s => s.Name == "POST /api/events/track/{eventName}");
        var ingest = Assert.Single(spans, s => s.Name == "eventtracker.ingest");
        var append = Assert.Single(spans, s => s.Name == "eventtracker.store.append");
        var query = Assert.Single(spans, s => s.Name == "eventtracker.query");
        Assert.Equal(request.Payload.CorrelationId, ingest.Payload.CorrelationId);
        Assert.Equal(request.Payload.CorrelationId, append.Payload.CorrelationId);
        Assert.NotEqual(request.Payload.CorrelationId, query.Payload.CorrelationId);
        Assert.Equal((string?)request.Payload.Metadata!["span_id"], (string?)ingest.Payload.Metadata!["parent_span_id"]);
        Assert.Equal((string?)ingest.Payload.Metadata!["span_id"], (string?)append.Payload.Metadata!["parent_span_id"]);
        Assert.Equal("http", (string?)ingest.Payload.Metadata!["eventtracker.transport"]);
        Assert.Equal(1, (int?)append.Payload.Metadata!["eventtracker.events"]);
    }
}

using System.Net;
using System.Text.Json;
using EventTracker.Contracts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace EventTracker.Client.Tests;

/// <summary>The SSE reader against WireMock: every envelope type, reconnecting with Last-Event-ID, cancellation.</summary>
public sealed class StreamAsyncTests : IDisposable
{
    private readonly MockServer _mock = new();

    public void Dispose() => _mock.Dispose();

    [Fact]
    public async Task Every_envelope_type_is_parsed_and_a_dropped_connection_resumes_from_the_last_id()
    {
        _mock.Server.Given(Request.Create().WithPath("/api/events/stream").UsingGet().WithParam("serviceName", "svc"))
            .InScenario("stream").WillSetStateTo("reconnected")
            .RespondWith(Sse(
                ("1", """{"type":"event","data":{"id":"evt-1","name":"a","userId":null,"serviceName":"svc","payload":{},"timestamp":1}}"""),
                ("1", """{"type":"stats","data":{"totalEvents":1,"totalServices":1,"eventsLastMinute":1,"errorRateLastMinute":0,"subscribers":1,"evictedEvents":0,"droppedMessages":0,"timestamp":"2025-08-27T00:00:00.000Z"}}"""),
                ("1", """{"type":"ping","data":"2025-08-27T00:00:00.000Z"}"""),
                ("3", """{"type":"dropped","data":{"count":2,"lastMissedId":3}}"""),
                ("4", """{"type":"event","data":{"id":"evt-4","name":"d","userId":null,"serviceName":"svc","payload":{},"timestamp":4}}""")));
        _mock.Server.Given(Request.Create().WithPath("/api/events/stream").UsingGet().WithHeader("Last-Event-ID", "4"))
            .InScenario("stream").WhenStateIs("reconnected")
            .RespondWith(Sse(("5", """{"type":"event","data":{"id":"evt-5","name":"e","userId":null,"serviceName":"svc","payload":{},"timestamp":5}}""")));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var messages = new List<StreamMessage>();
        await foreach (var message in _mock.Client().StreamAsync(new StreamFilter { ServiceName = "svc" }, cancel.Token))
        {
            messages.Add(message);
            if (messages.Count == 6)
            {
                break;
            }
        }

        Assert.Equal(["event", "stats", "ping", "dropped", "event", "event"], messages.Select(m => m.Type));
        Assert.Equal(1, messages[1].Data.Deserialize(EventTrackerJsonContext.Default.StreamStats)!.TotalEvents);
        Assert.Equal(2, messages[3].Data.Deserialize(EventTrackerJsonContext.Default.DroppedNotice)!.Count);
        Assert.Equal(["a", "d", "e"], messages.Where(m => m.Type == "event").Select(m => m.Data.Deserialize(EventTrackerJsonContext.Default.StoredEvent)!.Name));
        var requests = _mock.Requests.Select(r => r.RequestMessage).ToList();
        Assert.False(requests[0].Headers!.ContainsKey("Last-Event-ID"));
        Assert.Equal("4", requests[1].Headers!["Last-Event-ID"].Single());
        Assert.Equal("text/event-stream", requests[0].Headers!["Accept"].Single());
    }

    [Fact]
    public async Task A_stream_can_start_from_a_given_last_event_id()
    {
        _mock.Server.Given(Request.Create().WithPath("/api/events/stream").UsingGet())
            .RespondWith(Sse(("8", """{"type":"ping","data":"2025-08-27T00:00:00.000Z"}""")));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await foreach (var _ in _mock.Client().StreamAsync(new StreamFilter { LastEventId = "7" }, cancel.Token))
        {
            break;
        }

        Assert.Equal("7", _mock.Requests[0].RequestMessage.Headers!["Last-Event-ID"].Single());
    }

    [Fact]
    public async Task Cancelling_ends_the_enumeration_without_an_exception()
    {
        _mock.Server.Given(Request.Create().WithPath("/api/events/stream").UsingGet())
            .RespondWith(Sse(("1", """{"type":"ping","data":"2025-08-27T00:00:00.000Z"}""")).WithDelay(TimeSpan.FromSeconds(1)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var count = 0;
        await foreach (var _ in _mock.Client().StreamAsync(cancellationToken: cancel.Token))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task A_refused_stream_throws_the_servers_problem()
    {
        _mock.Server.Given(Request.Create().WithPath("/api/events/stream").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/problem+json")
                .WithBody("""{"title":"Bad","status":400,"errors":{"Last-Event-ID":["Must be the id of a message from this stream."]}}"""));

        var error = await Assert.ThrowsAsync<EventTrackerException>(async () =>
        {
            await foreach (var _ in _mock.Client().StreamAsync(new StreamFilter { LastEventId = "x" }))
            {
            }
        });

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.True(error.Problem!.Errors!.ContainsKey("Last-Event-ID"));
    }

    private static IResponseBuilder Sse(params (string Id, string Json)[] messages) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/event-stream")
            .WithBody(string.Concat(messages.Select(m => $"data: {m.Json}\nid: {m.Id}\n\n")));
}

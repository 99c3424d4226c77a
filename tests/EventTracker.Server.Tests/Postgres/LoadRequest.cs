using System.Net.Http.Json;
using System.Text;
using EventTracker.Contracts;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>One request of the load: a single event (its id in <c>X-Event-Id</c>) or a batch (its batch id and an id per event).</summary>
internal sealed class LoadRequest(string run, int sender, int number, bool isBatch)
{
    /// <summary>Events in a batch.</summary>
    public const int BatchSize = 10;

    public bool IsBatch { get; } = isBatch;

    public List<string> Ids { get; } = Enumerable.Range(0, isBatch ? BatchSize : 1).Select(i => $"{run}-s{sender}-r{number}-e{i}").ToList();

    public bool Acknowledged { get; private set; }

    /// <summary>The event id a single event was acknowledged with.</summary>
    public string? EventId { get; private set; }

    public string? Failure { get; private set; }

    /// <summary>Sends it; whether it was acknowledged (2xx).</summary>
    public async Task<bool> SendAsync(HttpClient node)
    {
        try
        {
            using var response = await node.SendAsync(Message());
            if (!response.IsSuccessStatusCode)
            {
                Failure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                return false;
            }

            if (!IsBatch)
            {
                EventId = (await response.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.TrackEventResponse))!.EventId;
            }

            Acknowledged = true;
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            Failure = e.Message;
            return false;
        }
    }

    /// <summary>Sends it again, with the same ids; whether the answer is what a retry must get.</summary>
    public async Task<bool> RetryAsync(HttpClient node)
    {
        using var response = await node.SendAsync(Message());
        var body = await response.Content.ReadAsStringAsync();
        Failure = $"{(int)response.StatusCode} {body}";
        if (!response.IsSuccessStatusCode)
        {
            return false;
        }

        if (IsBatch)
        {
            // A batch A acknowledged is replayed, not stored again; an unanswered one may be either. All its events count.
            var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";
            var processed = System.Text.Json.JsonSerializer.Deserialize(body, EventTrackerJsonContext.Default.BatchTrackEventResponse)!.ProcessedCount;
            return processed == BatchSize && (!Acknowledged || replayed);
        }

        var answer = System.Text.Json.JsonSerializer.Deserialize(body, EventTrackerJsonContext.Default.TrackEventResponse)!;
        return !Acknowledged || answer.EventId == EventId;
    }

    public override string ToString() => IsBatch ? $"batch {Ids[0]}…" : $"event {Ids[0]}";

    private HttpRequestMessage Message()
    {
        if (IsBatch)
        {
            var items = Ids.Select(id => $$$"""{"eventName":"load","eventId":"{{{id}}}","payload":{"serviceName":"load-{{{sender}}}","correlationId":"{{{id}}}","responseTimeMs":12}}""");
            return new HttpRequestMessage(HttpMethod.Post, EventTrackerRoutes.TrackBatch)
            {
                Content = new StringContent($$"""{"batchId":"{{Ids[0]}}-batch","events":[{{string.Join(",", items)}}]}""", Encoding.UTF8, "application/json"),
            };
        }

        var single = new HttpRequestMessage(HttpMethod.Post, EventTrackerRoutes.TrackPath("load"))
        {
            Content = new StringContent($$"""{"serviceName":"load-{{sender}}","correlationId":"{{Ids[0]}}","responseTimeMs":7}""", Encoding.UTF8, "application/json"),
        };
        single.Headers.Add("X-Event-Id", Ids[0]);
        return single;
    }
}

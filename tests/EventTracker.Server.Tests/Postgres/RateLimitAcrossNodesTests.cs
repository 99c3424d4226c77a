using System.Net;
using System.Net.Http.Json;
using System.Text;
using EventTracker.Contracts;
using EventTracker.Testing;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>What a rate limit means with several nodes over one database: each node counts what reaches it.</summary>
[Collection(PostgresTests.Name)]
public sealed class RateLimitAcrossNodesTests(PostgresCluster cluster)
{
    [Fact]
    public async Task A_sender_refused_by_one_node_for_its_rate_is_still_served_by_another_and_everything_accepted_is_stored_once()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = new Dictionary<string, string?>
        {
            ["EventTracker:Store:Provider"] = "PostgreSQL",
            ["ConnectionStrings:EventTracker"] = cluster.CreateDatabase(),
            ["EventTracker:RateLimit:EventsPerSecond"] = "1",
            ["EventTracker:RateLimit:EventBurst"] = "5",
        };
        using var nodeA = new TestServerFactory(settings, time);
        using var nodeB = new TestServerFactory(settings, time);
        using var a = nodeA.CreateClient();
        using var b = nodeB.CreateClient();

        using var batch = await a.PostAsJsonAsync(
            "/api/events/track/batch",
            new BatchTrackEventRequest { Events = [.. Enumerable.Range(0, 5).Select(i => new BatchTrackEventItem { EventName = "limited-" + i })] });
        using var refusedByA = await a.PostAsync("/api/events/track/limited", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var servedByB = await b.PostAsync("/api/events/track/limited", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedByA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, servedByB.StatusCode);
        var held = await a.GetFromJsonAsync<EventsResponse>("/api/events?limit=100");
        Assert.Equal(6, held!.Filtered);
    }
}

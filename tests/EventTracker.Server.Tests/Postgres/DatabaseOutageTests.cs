using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EventTracker.Testing;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>A server on PostgreSQL while the database goes away and comes back.</summary>
[Collection(PostgresTests.Name)]
public sealed class DatabaseOutageTests(PostgresCluster cluster)
{
    [Fact]
    public async Task While_the_database_is_down_ingestion_and_reads_answer_503_with_retry_after_and_healthz_says_so_then_all_recovers_by_itself()
    {
        using var factory = new TestServerFactory(new Dictionary<string, string?>
        {
            ["EventTracker:Store:Provider"] = "PostgreSQL",
            ["ConnectionStrings:EventTracker"] = cluster.CreateDatabase(),
        });
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/events/track/before-outage", new { serviceName = "svc" })).StatusCode);
        Assert.Equal("Healthy", await client.GetStringAsync("/healthz"));

        cluster.Stop();
        try
        {
            using var refused = await client.PostAsJsonAsync("/api/events/track/during-outage", new { serviceName = "svc" });
            using var read = await client.GetAsync("/api/events?serviceName=svc");
            using var health = await client.GetAsync("/healthz");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            Assert.NotNull(read.Headers.RetryAfter);
            Assert.Contains("\"store\"", await read.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
        }
        finally
        {
            cluster.Start();
        }

        HttpStatusCode status = default;
        for (var attempt = 0; attempt < 50 && status != HttpStatusCode.OK; attempt++)
        {
            await Task.Delay(200);
            using var retried = await client.PostAsJsonAsync("/api/events/track/after-outage", new { serviceName = "svc" });
            status = retried.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", await client.GetStringAsync("/healthz"));
        using var events = JsonDocument.Parse(await client.GetStringAsync("/api/events?serviceName=svc"));
        Assert.Equal(
            ["after-outage", "before-outage"],
            events.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }
}

using System.Globalization;
using System.Net;
using System.Text;
using EventTracker.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using EventTracker.Testing;
using Microsoft.Extensions.Logging;

namespace EventTracker.Server.Tests.Telemetry;

/// <summary>
/// The server's own metrics as an operator reads them: a real server process, a scripted mix of requests, then a scrape
/// of <c>/metrics</c> in Prometheus text, where each counter holds exactly what the mix did; and the same instruments
/// pushed to an OTLP receiver when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task A_scrape_after_a_scripted_mix_finds_each_ingestion_counter_with_its_exact_value()
    {
        // A budget of 13 events that barely refills: the mix below spends exactly 13, then one batch of 5 is over it.
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["EventTracker__RateLimit__EventsPerSecond"] = "0.001",
            ["EventTracker__RateLimit__EventBurst"] = "13",
        });
        using var client = server.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            await PostAsync(client, "/api/events/track/page-view", """{"serviceName":"web"}""", HttpStatusCode.OK);
        }

        const string Batch = """{"batchId":"b-1","events":[{"eventName":"a"},{"eventName":"b"},{"eventName":"c"},{"eventName":"d"}]}""";
        await PostAsync(client, "/api/events/track/batch", Batch, HttpStatusCode.OK);
        await PostAsync(client, "/api/events/track/batch", Batch, HttpStatusCode.OK); // replayed: 4 events acknowledged again
        await PostAsync(client, "/api/events/track/signup", "{}", HttpStatusCode.OK, idempotencyKey: "k-1");
        await PostAsync(client, "/api/events/track/signup", "{}", HttpStatusCode.OK, idempotencyKey: "k-1"); // replayed
        await PostAsync(client, "/api/events/track/bad", """{"statusCode":"x"}""", HttpStatusCode.BadRequest);
        await PostAsync(client, "/api/events/track/batch", """{"events":[{"eventName":""}]}""", HttpStatusCode.BadRequest);
        await PostAsync(client, "/api/events/track/batch", """{"events":[{"eventName":"a"},{"eventName":"b"},{"eventName":"c"},{"eventName":"d"},{"eventName":"e"}]}""", HttpStatusCode.TooManyRequests);

        var metrics = await ScrapeAsync(client);

        Assert.Equal(4, Value(metrics, "eventtracker_events_accepted_total", "transport=\"http\""));
        Assert.Equal(4, Value(metrics, "eventtracker_events_accepted_total", "transport=\"batch\""));
        Assert.Equal(1, Value(metrics, "eventtracker_events_replayed_total", "transport=\"http\""));
        Assert.Equal(4, Value(metrics, "eventtracker_events_replayed_total", "transport=\"batch\""));
        Assert.Equal(1, Value(metrics, "eventtracker_events_refused_total", "transport=\"http\"", "reason=\"validation\""));
        Assert.Equal(1, Value(metrics, "eventtracker_events_refused_total", "transport=\"batch\"", "reason=\"validation\""));
        Assert.Equal(5, Value(metrics, "eventtracker_events_refused_total", "transport=\"batch\"", "reason=\"rate_limit\""));
        Assert.Equal(3, Value(metrics, "eventtracker_batch_size_count", "transport=\"batch\""));
        Assert.Equal(13, Value(metrics, "eventtracker_batch_size_sum", "transport=\"batch\""));
        Assert.Equal(8, Value(metrics, "eventtracker_store_events_held"));
        Assert.Equal(7, Value(metrics, "eventtracker_store_append_duration_seconds_count")); // 3 + 2 + 2 appends, replays included
        Assert.Contains("http_server_request_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_collections_total", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Appends_shed_for_a_full_write_queue_are_counted_as_shed_event_for_event()
    {
        // One event may wait for the disk; under concurrent batches, the others are shed with 503.
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["EventTracker__Store__MaxQueuedEvents"] = "1" });
        using var client = server.CreateClient();
        var batch = "{\"events\":[" + string.Join(",", Enumerable.Range(0, 10).Select(i => $$"""{"eventName":"e{{i}}"}""")) + "]}";
        int ok = 0, shed = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < 20 && shed == 0; round++)
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            {
                using var response = await client.PostAsync("/api/events/track/batch", new StringContent(batch, Encoding.UTF8, "application/json"));
                return response.StatusCode;
            }));
            ok += answers.Count(s => s == HttpStatusCode.OK);
            shed += answers.Count(s => s == HttpStatusCode.ServiceUnavailable);
            Assert.All(answers, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, s.ToString()));
        }

        var metrics = await ScrapeAsync(client);

        Assert.True(shed > 0, "no append was shed");
        Assert.Equal(10 * shed, Value(metrics, "eventtracker_events_refused_total", "transport=\"batch\"", "reason=\"shed\""));
        Assert.Equal(10 * ok, Value(metrics, "eventtracker_events_accepted_total", "transport=\"batch\""));
        Assert.True(Value(metrics, "eventtracker_store_disk_syncs_total") > 0);

        // Logged, but not once per refusal: one line per 10 s at most, with the count.
        var lines = server.Output.Split('\n').Count(line => line.Contains("events (shed)", StringComparison.Ordinal));
        Assert.InRange(lines, 1, 1 + (int)(clock.Elapsed.TotalSeconds / 10));
    }

    [Fact]
    public async Task With_an_otlp_endpoint_set_the_metrics_reach_the_receiver()
    {
        var received = new List<byte[]>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var receiver = builder.Build();
        receiver.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            lock (received)
            {
                received.Add(body.ToArray());
            }

            return Results.Ok();
        });
        await receiver.StartAsync();
        var endpoint = receiver.Urls.Single();

        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        using var client = server.CreateClient();
        await PostAsync(client, "/api/events/track/exported", "{}", HttpStatusCode.OK);

        var found = false;
        for (var waited = 0; waited < 300 && !found; waited++)
        {
            await Task.Delay(100);
            lock (received)
            {
                found = received.Any(body => Encoding.UTF8.GetString(body).Contains("eventtracker.events.accepted", StringComparison.Ordinal));
            }
        }

        Assert.True(found, $"no export named eventtracker.events.accepted in {received.Count} requests");
    }

    private static async Task PostAsync(HttpClient client, string path, string body, HttpStatusCode expected, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    // The value of the one sample of metric whose labels include every one of labels.
    private static double Value(string exposition, string metric, params string[] labels)
    {
        var samples = exposition.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal))
            .Where(line => labels.All(label => line.Contains(label, StringComparison.Ordinal)))
            .ToList();
        Assert.True(samples.Count == 1, $"{metric} {string.Join(",", labels)}: {samples.Count} samples in\n{string.Join("\n", exposition.Split('\n').Where(l => l.StartsWith("eventtracker", StringComparison.Ordinal)))}");
        var value = samples[0].Split(' ')[^1];
        return value.Contains('#', StringComparison.Ordinal) ? double.Parse(samples[0].Split(' ')[^3], CultureInfo.InvariantCulture) : double.Parse(value, CultureInfo.InvariantCulture);
    }
}

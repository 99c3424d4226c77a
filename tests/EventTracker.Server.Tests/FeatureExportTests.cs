using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

public sealed class FeatureExportTests : IDisposable
{
    // A Saturday, 10:00 UTC.
    private static readonly DateTimeOffset Start = new(2026, 2, 28, 10, 0, 0, TimeSpan.Zero);
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(Start));
    private readonly HttpClient _client;

    public FeatureExportTests() => _client = _factory.CreateClient();

    private FakeTimeProvider Time => _factory.Time!;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task One_row_per_matching_event_oldest_first_with_the_features_of_its_moment()
    {
        await _client.TrackAsync("page-view", """{"serviceName":"web","sessionId":"s1","userId":"ada"}""");
        Time.Advance(TimeSpan.FromSeconds(90));
        await _client.TrackAsync("checkout-start", """{"serviceName":"shop","sessionId":"s1","userId":"ada","correlationId":"c1","responseTimeMs":100}""");
        Time.Advance(TimeSpan.FromSeconds(30));
        await _client.TrackAsync("checkout-completed", """{"serviceName":"shop","sessionId":"s1","userId":"ada","correlationId":"c1","responseTimeMs":300,"statusCode":500}""");
        await _client.TrackAsync("page-view", """{"serviceName":"web"}""");

        var all = await NdjsonAsync("");
        var shop = await NdjsonAsync("?serviceName=shop");

        Assert.Equal(4, all.Count);
        Assert.Equal(["page-view", "checkout-start", "checkout-completed", "page-view"], all.Select(r => r.GetProperty("event_name").GetString()));
        Assert.Equal(2, shop.Count);
        var done = all[2];
        Assert.Equal((10, 6, true, false), (done.GetProperty("hour_of_day").GetInt32(), done.GetProperty("day_of_week").GetInt32(),
            done.GetProperty("is_weekend").GetBoolean(), done.GetProperty("is_business_hours").GetBoolean()));
        Assert.Equal(3, done.GetProperty("events_per_session").GetInt64());
        Assert.Equal(2, done.GetProperty("session_duration").GetDouble());
        Assert.Equal(30, done.GetProperty("time_since_last_event").GetDouble());
        Assert.Equal(2, done.GetProperty("correlation_chain_length").GetInt64());
        Assert.True(done.GetProperty("is_error").GetBoolean());
        Assert.Equal("shop", done.GetProperty("service_name").GetString());
        Assert.Equal(JsonValueKind.Null, all[3].GetProperty("session_id").ValueKind);
        Assert.Equal(1, all[0].GetProperty("events_per_session").GetInt64());
    }

    [Fact]
    public async Task Rows_are_counted_and_ordered_across_many_slices()
    {
        for (var batch = 0; batch < 25; batch++)
        {
            var events = Enumerable.Range(0, 1000).Select(i => $$$"""{"eventName":"api-call","payload":{"serviceName":"svc-{{{i % 3}}}","responseTimeMs":{{{i % 200}}}}}""");
            await _client.TrackBatchAsync($$"""{"events":[{{string.Join(",", events)}}]}""");
            Time.Advance(TimeSpan.FromSeconds(7));
        }

        var rows = await NdjsonAsync(""); // more than one slice of 10,000
        var csv = await TextAsync("?format=csv&serviceName=svc-2");

        Assert.Equal(25_000, rows.Count);
        var ids = rows.Select(r => long.Parse(r.GetProperty("event_id").GetString()!["evt-".Length..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.All(rows, r => Assert.InRange(r.GetProperty("response_time_percentile").GetDouble(), 0, 100));
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("event_id,timestamp,hour_of_day,", lines[0], StringComparison.Ordinal);
        Assert.Equal(8325 + 1, lines.Length);
        Assert.All(lines.Skip(1), line => Assert.Contains(",svc-2,", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Csv_quotes_what_needs_quoting()
    {
        await _client.TrackAsync("signup", """{"serviceName":"web","userId":"smith, \"jr\""}""");

        var lines = (await TextAsync("?format=csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains(",\"smith, \"\"jr\"\"\",", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?format=parquet", "format")]
    [InlineData("?from=sometime", "from")]
    [InlineData("?serviceName=%00", "serviceName")]
    public async Task Bad_parameters_are_refused_naming_them(string query, string field)
    {
        using var response = await _client.GetAsync("/api/events/features" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> NdjsonAsync(string query)
    {
        var text = await TextAsync(query);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
    }

    private async Task<string> TextAsync(string query)
    {
        using var response = await _client.GetAsync("/api/events/features" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}

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
        Assert.Equal(2, done.GetProperty("events_per_session").GetInt64()); // the session's events before this one
        Assert.Equal(2, done.GetProperty("session_duration").GetDouble());
        Assert.Equal(30, done.GetProperty("time_since_last_event").GetDouble());
        Assert.Equal(1, done.GetProperty("correlation_chain_length").GetInt64());
        Assert.True(done.GetProperty("is_error").GetBoolean());
        Assert.Equal("shop", done.GetProperty("service_name").GetString());
        Assert.Equal(JsonValueKind.Null, all[3].GetProperty("session_id").ValueKind);
        Assert.Equal(0, all[0].GetProperty("events_per_session").GetInt64());
    }

    [Fact]
    public async Task Every_history_column_is_computed_from_the_events_strictly_before_the_row()
    {
        // (seconds after the start, name, response time, status); the second event comes 3 s after the first, in the same minute.
        (int At, string Name, double Ms, int Status)[] events =
        [
            (0, "api-call", 777, 500), (3, "api-call", 100, 200), (3, "api-login", 20, 401), (40, "api-call", 300, 200), (3_000, "api-call", 50, 200), (3_610, "api-call", 400, 503),
        ];
        var start = Time.GetUtcNow().AddHours(-2).ToUnixTimeMilliseconds();
        var items = events.Select(e =>
            $$$"""{"eventName":"{{{e.Name}}}","payload":{"serviceName":"orders","sessionId":"s","userId":"u","correlationId":"c","responseTimeMs":{{{e.Ms}}},"statusCode":{{{e.Status}}},"timestamp":{{{start + (e.At * 1000L)}}}}}""");
        await _client.TrackBatchAsync($$"""{"events":[{{string.Join(",", items)}}]}""");

        var rows = await NdjsonAsync("?serviceName=orders");

        Assert.Equal(events.Length, rows.Count);
        for (var i = 0; i < events.Length; i++)
        {
            var row = rows[i];
            var earlier = events.Take(i).ToList();
            var hour = earlier.Where(e => e.At >= events[i].At - 3_600).ToList();
            var errors = hour.Count(e => e.Status >= 400);
            Assert.Equal(hour.Count, row.GetProperty("request_volume").GetInt64());
            Assert.Equal(errors, row.GetProperty("error_count_last_hour").GetInt64());
            Assert.Equal(hour.Count(e => e.Name == events[i].Name), row.GetProperty("event_frequency").GetInt64());
            Assert.Equal(earlier.Count, row.GetProperty("events_per_session").GetInt64());
            Assert.Equal(earlier.Count, row.GetProperty("correlation_chain_length").GetInt64());
            Assert.Equal(Math.Round(events[i].At / 60.0, 3), row.GetProperty("session_duration").GetDouble());
            Assert.Equal(Math.Round(events[i].At / 86_400.0, 3), row.GetProperty("user_tenure_days").GetDouble());
            if (earlier.Count > 0)
            {
                Assert.Equal(events[i].At - earlier[^1].At, row.GetProperty("time_since_last_event").GetDouble());
            }

            if (hour.Count == 0)
            {
                Assert.Equal(JsonValueKind.Null, row.GetProperty("avg_response_time").ValueKind);
                Assert.Equal(JsonValueKind.Null, row.GetProperty("error_rate").ValueKind);
                Assert.Equal(JsonValueKind.Null, row.GetProperty("response_time_percentile").ValueKind);
                continue;
            }

            Assert.Equal(Math.Round(hour.Average(e => e.Ms), 2), row.GetProperty("avg_response_time").GetDouble());
            Assert.Equal(Math.Round(100.0 * errors / hour.Count, 2), row.GetProperty("error_rate").GetDouble());
            Assert.Equal(Math.Round(100 - Math.Round(100.0 * errors / hour.Count, 2), 2), row.GetProperty("success_rate").GetDouble());
            Assert.Equal(Math.Round(100.0 * hour.Count(e => e.Ms <= events[i].Ms) / hour.Count, 2), row.GetProperty("response_time_percentile").GetDouble());
        }

        // The example: the first event's row knows nothing of itself or of the event 3 s later.
        Assert.Equal(0, rows[0].GetProperty("request_volume").GetInt64());
        Assert.Equal(1, rows[1].GetProperty("error_count_last_hour").GetInt64());
        Assert.Equal(2, rows[5].GetProperty("request_volume").GetInt64()); // the first three left the hour before it (at 0 s and 3 s)
    }

    [Fact]
    public async Task A_range_that_starts_later_still_sees_the_hour_before_its_first_row()
    {
        await _client.TrackAsync("api-call", """{"serviceName":"orders","responseTimeMs":100,"statusCode":500}""");
        Time.Advance(TimeSpan.FromMinutes(30));
        var from = Time.GetUtcNow();
        await _client.TrackAsync("api-call", """{"serviceName":"orders","responseTimeMs":100}""");

        var rows = await NdjsonAsync("?from=" + from.ToUnixTimeMilliseconds());

        var row = Assert.Single(rows);
        Assert.Equal((1L, 1L), (row.GetProperty("request_volume").GetInt64(), row.GetProperty("error_count_last_hour").GetInt64()));
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
        // The first event of each service has no earlier one to rank against.
        Assert.Equal(3, rows.Count(r => r.GetProperty("response_time_percentile").ValueKind == JsonValueKind.Null));
        Assert.All(rows.Skip(3), r => Assert.InRange(r.GetProperty("response_time_percentile").GetDouble(), 0, 100));
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

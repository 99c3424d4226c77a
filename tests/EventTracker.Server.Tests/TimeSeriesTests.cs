using System.Net;
using System.Net.Http.Json;
using EventTracker.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

public sealed class TimeSeriesTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(Start));
    private readonly HttpClient _client;

    public TimeSeriesTests() => _client = _factory.CreateClient();

    private FakeTimeProvider Time => _factory.Time!;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_services_history_comes_in_regular_buckets_with_volume_errors_and_percentiles()
    {
        // Two hours: checkout answers in 100 ms, except in its second hour, when 1 in 4 calls fails and takes 900 ms.
        for (var minute = 0; minute < 120; minute++)
        {
            var events = Enumerable.Range(0, 8).Select(i =>
            {
                var bad = minute >= 60 && i % 4 == 0;
                return $$$"""{"eventName":"api-request","payload":{"serviceName":"checkout","responseTimeMs":{{{(bad ? 900 : 100)}}},"statusCode":{{{(bad ? 500 : 200)}}}}}""";
            }).Append("""{"eventName":"page-view","payload":{"serviceName":"web"}}""");
            await _client.TrackBatchAsync($$"""{"events":[{{string.Join(",", events)}}]}""");
            Time.Advance(TimeSpan.FromMinutes(1));
        }

        var series = await GetAsync("?serviceName=checkout&from=2h");

        Assert.Equal("checkout", series.ServiceName);
        Assert.Equal(300, series.BucketSeconds);
        Assert.Equal(Start, series.From);
        Assert.Equal(25, series.Points.Count); // 24 full buckets of 5 minutes, and the current one, still empty
        Assert.Equal(Start.AddMinutes(5), series.Points[1].Start);
        Assert.All(series.Points.Take(12), p => Assert.Equal((40, 0, 100.0), (p.Count, p.Errors, p.P95ResponseTime!.Value)));
        Assert.All(series.Points.Skip(12).Take(12), p =>
        {
            Assert.Equal((40, 10, 25.0), (p.Count, p.Errors, p.ErrorRate));
            Assert.InRange(p.P50ResponseTime!.Value, 99, 101); // within 1 %
            Assert.Equal(900, p.P95ResponseTime); // the largest value held: never above it
            Assert.Equal(300, p.AvgResponseTime);
        });
        Assert.Equal(0, series.Points[^1].Count);
        Assert.Null(series.Points[^1].P50ResponseTime);
        Assert.Equal(120 * 9, (await GetAsync("?from=2h")).Points.Sum(p => p.Count));
        Assert.Equal(60, (await GetAsync("?from=90m")).BucketSeconds);
        Assert.Equal(3600, (await GetAsync("?from=3d")).BucketSeconds);
    }

    [Theory]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?from=1h&to=2h", "to")]
    [InlineData("?from=2099-01-01T00:00:00Z", "from")]
    [InlineData("?serviceName=%00", "serviceName")]
    public async Task Bad_ranges_are_refused_naming_the_parameter(string query, string field)
    {
        using var response = await _client.GetAsync("/api/events/timeseries" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<TimeSeriesResponse> GetAsync(string query) =>
        (await _client.GetFromJsonAsync("/api/events/timeseries" + query, EventTrackerJsonContext.Default.TimeSeriesResponse))!;
}

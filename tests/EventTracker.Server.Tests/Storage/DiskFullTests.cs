using System.Net;
using System.Net.Http.Json;
using System.Text;
using EventTracker.Contracts;

namespace EventTracker.Server.Tests.Storage;

/// <summary>A full disk as a client of the server sees it.</summary>
public sealed class DiskFullTests : IDisposable
{
    private readonly TemporaryDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Ingestion_answers_503_with_retry_after_while_queries_keep_working_and_recovers_by_itself()
    {
        using var disk = SmallDisk.Mount(_data.Path, kilobytes: 256);
        await using var server = new TestServerFactory(new Dictionary<string, string?> { ["EventTracker:Store:DataDirectory"] = disk.Path });
        using var client = server.CreateClient();
        (await client.PostAsync("/api/events/track/before", new StringContent("{}"))).EnsureSuccessStatusCode();
        var filler = Path.Combine(disk.Path, "filler");
        SmallDisk.FillUp(filler);
        var batch = """{"batchId":"big","events":[""" + string.Join(",", Enumerable.Range(0, 200).Select(i => "{\"eventName\":\"e" + i + "\",\"payload\":{\"metadata\":{\"i\":" + i + "}}}")) + "]}";

        using var refused = await client.PostAsync("/api/events/track/batch", new StringContent(batch, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"store\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var held = await client.GetFromJsonAsync("/api/events", EventTrackerJsonContext.Default.EventsResponse);
        Assert.Equal(["before"], held!.Events.Select(e => e.Name));

        File.Delete(filler);
        using var accepted = await client.PostAsync("/api/events/track/batch", new StringContent(batch, Encoding.UTF8, "application/json"));

        accepted.EnsureSuccessStatusCode();
        Assert.Equal(200, (await accepted.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.BatchTrackEventResponse))!.ProcessedCount);
        Assert.Equal(201, (await client.GetFromJsonAsync("/api/events?limit=1", EventTrackerJsonContext.Default.EventsResponse))!.Total);
    }
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EventTracker.Contracts;

namespace EventTracker.Server.Tests;

/// <summary>Small helpers to call the API as a plain HTTP client would.</summary>
internal static class Api
{
    public static async Task<TrackEventResponse> TrackAsync(this HttpClient client, string eventName, string payloadJson = "{}", string? userId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, EventTrackerRoutes.TrackPath(eventName))
        {
            Content = new StringContent(payloadJson, Encoding.UTF8, "application/json"),
        };
        if (userId is not null)
        {
            request.Headers.Add("X-User-Id", userId);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.TrackEventResponse))!;
    }

    public static async Task<BatchTrackEventResponse> TrackBatchAsync(this HttpClient client, string batchJson)
    {
        using var response = await client.PostAsync(EventTrackerRoutes.TrackBatch, new StringContent(batchJson, Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.BatchTrackEventResponse))!;
    }

    public static async Task<EventsResponse> GetEventsAsync(this HttpClient client, string query = "")
    {
        using var response = await client.GetAsync(EventTrackerRoutes.Events + query);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.EventsResponse))!;
    }

    public static async Task<ServicesResponse> GetServicesAsync(this HttpClient client, string query = "")
    {
        using var response = await client.GetAsync(EventTrackerRoutes.Services + query);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.ServicesResponse))!;
    }

    public static async Task<EventStatistics> GetStatisticsAsync(this HttpClient client, string query = "")
    {
        using var response = await client.GetAsync(EventTrackerRoutes.Statistics + query);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.EventStatistics))!;
    }

    public static async Task<SuggestionsResponse> GetSuggestionsAsync(this HttpClient client, string query = "")
    {
        using var response = await client.GetAsync(EventTrackerRoutes.Suggestions + query);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(EventTrackerJsonContext.Default.SuggestionsResponse))!;
    }

    public static JsonNode ToNode(AIEventPayload payload) =>
        JsonNode.Parse(JsonSerializer.Serialize(payload, EventTrackerJsonContext.Default.AIEventPayload))!;
}

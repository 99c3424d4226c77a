using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
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

    public static Task<EventsResponse> GetEventsAsync(this HttpClient client, string query = "") =>
        client.GetJsonAsync(EventTrackerRoutes.Events + query, EventTrackerJsonContext.Default.EventsResponse);

    public static Task<ServicesResponse> GetServicesAsync(this HttpClient client, string query = "") =>
        client.GetJsonAsync(EventTrackerRoutes.Services + query, EventTrackerJsonContext.Default.ServicesResponse);

    public static Task<EventStatistics> GetStatisticsAsync(this HttpClient client, string query = "") =>
        client.GetJsonAsync(EventTrackerRoutes.Statistics + query, EventTrackerJsonContext.Default.EventStatistics);

    public static Task<SuggestionsResponse> GetSuggestionsAsync(this HttpClient client, string query = "") =>
        client.GetJsonAsync(EventTrackerRoutes.Suggestions + query, EventTrackerJsonContext.Default.SuggestionsResponse);

    private static async Task<T> GetJsonAsync<T>(this HttpClient client, string path, JsonTypeInfo<T> typeInfo)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync(typeInfo))!;
    }

    public static JsonNode ToNode(AIEventPayload payload) =>
        JsonNode.Parse(JsonSerializer.Serialize(payload, EventTrackerJsonContext.Default.AIEventPayload))!;
}

using System.Text.Json;

namespace EventTracker.Server.Tests.Alerts;

/// <summary>One request the <see cref="WebhookReceiver"/> got, and what it answered.</summary>
internal sealed record ReceivedWebhook(string Path, IReadOnlyDictionary<string, string> Headers, string Body, int Status, DateTime ReceivedAt)
{
    public bool Delivered => Status is >= 200 and < 300;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The message's <c>type</c>, or <see langword="null"/> when the body is not a JSON object.</summary>
    public string? Type
    {
        get
        {
            try
            {
                return Json.TryGetProperty("type", out var type) ? type.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

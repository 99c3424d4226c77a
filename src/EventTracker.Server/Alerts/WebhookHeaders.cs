namespace EventTracker.Server.Alerts;

/// <summary>The Standard Webhooks headers every message carries.</summary>
internal static class WebhookHeaders
{
    /// <summary>The message's id, the same on every attempt, so a receiver can drop a message it already had.</summary>
    public const string Id = "webhook-id";

    /// <summary>When the attempt was made, in Unix seconds; signed, so a receiver can refuse old replays.</summary>
    public const string Timestamp = "webhook-timestamp";

    /// <summary><c>v1,&lt;base64 HMAC-SHA256&gt;</c> of <c>{id}.{timestamp}.{body}</c>; only when the webhook has a secret.</summary>
    public const string Signature = "webhook-signature";
}

namespace EventTracker.Server.Alerts;

/// <summary>A message queued for a webhook: the webhook's name and the message's <c>webhook-id</c>.</summary>
internal sealed record QueuedAlert(string Webhook, string Id);

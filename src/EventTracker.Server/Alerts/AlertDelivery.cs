namespace EventTracker.Server.Alerts;

/// <summary>One message for one webhook, waiting in the queue: its id (the same on every attempt), its type and its body.</summary>
internal sealed record AlertDelivery(Webhook Webhook, string Id, string Type, byte[] Body);

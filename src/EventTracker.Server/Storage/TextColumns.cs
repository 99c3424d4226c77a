namespace EventTracker.Server.Storage;

/// <summary>
/// The user agent, referrer and role of an event, shared by every held event with the same three: most events of a
/// site repeat a handful of combinations. <see cref="EventTable"/> pools them.
/// </summary>
internal sealed record TextColumns(string? UserAgent, string? Referrer, string? UserRole);

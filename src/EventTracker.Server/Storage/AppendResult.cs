namespace EventTracker.Server.Storage;

/// <summary>The outcome of appending one event: the stored record, or the earlier one when its client id was seen before.</summary>
internal sealed record AppendResult(EventRecord Record, bool Replayed);

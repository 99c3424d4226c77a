namespace EventTracker.Server.Analytics;

/// <summary>How many chains of a service are open, the name of one of their start events, and when the earliest started.</summary>
internal readonly record struct ChainCount(int Count, string ExampleStartName, long EarliestStart);

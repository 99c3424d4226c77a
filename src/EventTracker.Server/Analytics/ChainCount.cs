namespace EventTracker.Server.Analytics;

/// <summary>How many chains of a service are open, and the name of one of their start events.</summary>
internal readonly record struct ChainCount(int Count, string ExampleStartName);

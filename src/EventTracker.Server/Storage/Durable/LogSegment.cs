namespace EventTracker.Server.Storage.Durable;

/// <summary>A closed segment file of the log and the sequences its frames cover: [<see cref="FirstSequence"/>, <see cref="NextSequence"/>).</summary>
internal sealed record LogSegment(string Path, long FirstSequence, long NextSequence);

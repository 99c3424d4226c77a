namespace EventTracker.Client;

/// <summary>A batch request body as it goes on the wire: JSON, or JSON compressed with gzip.</summary>
internal sealed record BatchContent(byte[] Bytes, bool Compressed);

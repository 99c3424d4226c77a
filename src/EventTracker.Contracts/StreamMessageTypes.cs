namespace EventTracker.Contracts;

/// <summary>The values of <see cref="StreamMessage.Type"/>.</summary>
public static class StreamMessageTypes
{
    /// <summary>A new event; data is a <see cref="StoredEvent"/>.</summary>
    public const string Event = "event";

    /// <summary>Updated statistics.</summary>
    public const string Stats = "stats";

    /// <summary>Keep-alive.</summary>
    public const string Ping = "ping";

    /// <summary>The reader fell behind; data says how many messages it missed.</summary>
    public const string Dropped = "dropped";
}

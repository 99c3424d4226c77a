namespace EventTracker.Contracts;

/// <summary>The values of <see cref="StreamMessage.Type"/>.</summary>
public static class StreamMessageTypes
{
    /// <summary>A new event; data is a <see cref="StoredEvent"/>.</summary>
    public const string Event = "event";

    /// <summary>Updated statistics; data is a <see cref="StreamStats"/>.</summary>
    public const string Stats = "stats";

    /// <summary>A newly detected insight; data is an <see cref="AIInsight"/>.</summary>
    public const string Insight = "insight";

    /// <summary>Keep-alive.</summary>
    public const string Ping = "ping";

    /// <summary>The reader fell behind; data is a <see cref="DroppedNotice"/>.</summary>
    public const string Dropped = "dropped";

    /// <summary>WebSocket: a client message was not understood; data is a <see cref="StreamErrorData"/>.</summary>
    public const string Error = "error";

    /// <summary>WebSocket: the answer to a client <c>ping</c>.</summary>
    public const string Pong = "pong";

    /// <summary>WebSocket: the client replaced its filter; data is the filter now in force.</summary>
    public const string Filter = "filter";

    /// <summary>WebSocket: the answer to a client <c>track</c>; data is a <see cref="TrackEventResponse"/>.</summary>
    public const string Track = "track";
}

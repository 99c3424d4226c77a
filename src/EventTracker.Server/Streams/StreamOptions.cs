using System.ComponentModel.DataAnnotations;

namespace EventTracker.Server.Streams;

/// <summary>Live stream settings (configuration section <c>EventTracker:Streams</c>).</summary>
public sealed class StreamOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "EventTracker:Streams";

    /// <summary>Recent event messages kept so a reconnecting reader can resume with <c>Last-Event-ID</c>. Default 10,000.</summary>
    [Range(1, 10_000_000)]
    public int RingBufferSize { get; set; } = 10_000;

    /// <summary>Messages queued per reader before its oldest are dropped (and counted). Default 10,000.</summary>
    [Range(1, 10_000_000)]
    public int SubscriberQueueSize { get; set; } = 10_000;

    /// <summary>
    /// Messages queued for all readers together: when the readers' queues could pass it, each reader holds at most its
    /// share of it and loses its oldest beyond, so readers that stop reading cannot hold the server's memory. Default 1,000,000.
    /// </summary>
    [Range(1, 1_000_000_000)]
    public int MaxQueuedMessagesTotal { get; set; } = 1_000_000;

    /// <summary>How often <c>stats</c> messages go out. Default 5 seconds.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often <c>ping</c> keep-alives go out. Default 15 seconds.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most concurrent stream connections (SSE and WebSocket); more get 429. Default 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>
    /// How long a WebSocket client may take to accept one message; one that takes longer has stopped reading and is
    /// disconnected, so it holds neither its replies nor the server's shutdown. Default 30 seconds.
    /// </summary>
    public TimeSpan WebSocketSendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The kernel's send buffer for each stream connection, in bytes (the kernel may double it); 0 leaves the system's
    /// default, which on Linux grows to megabytes per connection. A reader that stops reading holds what is already in it,
    /// on top of its queue, and the server pays to fill it, so a few hundred stalled readers would otherwise tie up
    /// gigabytes of kernel memory. Large enough for a reader across a continent (64 KiB at 50 ms is 1.3 MB/s). Default 64 KiB.
    /// </summary>
    [Range(0, 64 * 1024 * 1024)]
    public int SocketSendBufferBytes { get; set; } = 64 * 1024;

    /// <summary>Largest WebSocket message a client may send; larger closes the socket with a policy violation. Default 64 KiB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxClientMessageBytes { get; set; } = 64 * 1024;
}

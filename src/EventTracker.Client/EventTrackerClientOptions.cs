namespace EventTracker.Client;

/// <summary>
/// Settings of <see cref="EventTrackerClient"/> and <see cref="BackgroundEventTracker"/> (configuration section
/// <c>EventTracker</c>). A client copies them when it is made and checks them then: an invalid value throws an
/// <see cref="ArgumentException"/> naming the option (with dependency injection, host start fails with an
/// <c>OptionsValidationException</c>); changing the object afterwards changes nothing.
/// </summary>
public sealed class EventTrackerClientOptions
{
    /// <summary>The configuration section <c>AddEventTracker(IConfiguration)</c> binds.</summary>
    public const string Section = "EventTracker";

    /// <summary>The most events one batch may hold (the server's limit).</summary>
    public const int MaxEventsPerBatch = 1000;

    /// <summary>
    /// The server's address, <c>http</c> or <c>https</c>. When not set, <c>http://localhost:3000</c>, and the
    /// background tracker logs a warning at start naming this option.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Stamped as <c>serviceName</c> on every event that has none (at most 200 characters). When not set, the
    /// background tracker logs a warning at start: events without one are stored with no service.
    /// </summary>
    public string? ServiceName { get; set; }

    /// <summary>Sent in <see cref="ApiKeyHeaderName"/> on every request when set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The header that carries <see cref="ApiKey"/>. Default <c>X-API-Key</c>.</summary>
    public string ApiKeyHeaderName { get; set; } = "X-API-Key";

    /// <summary>Most events in one background batch, 1 to <see cref="MaxEventsPerBatch"/>. Default 100.</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Largest background batch body, in bytes. Default 512 KiB.</summary>
    public int MaxBatchBytes { get; set; } = 512 * 1024;

    /// <summary>How long a background batch waits to fill before it is sent. Default 1 second.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Most memory the events waiting to be sent may hold, in bytes (estimated per event from its text and property
    /// counts); beyond it <see cref="QueueFullPolicy"/> decides. Default 64 MiB: bursts of hundreds of thousands of
    /// ordinary events are kept whole while the server catches up.
    /// </summary>
    public long MaxQueueBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Most events waiting to be sent, whatever their size; beyond it <see cref="QueueFullPolicy"/> decides. Default 1,000,000.</summary>
    public int QueueCapacity { get; set; } = 1_000_000;

    /// <summary>What a full queue does. Default <see cref="Client.QueueFullPolicy.DropNewest"/>.</summary>
    public QueueFullPolicy QueueFullPolicy { get; set; } = QueueFullPolicy.DropNewest;

    /// <summary>
    /// How long the background sender keeps retrying a batch the server cannot take before giving it up (counted as
    /// failed). Each attempt is one request: the background sender's own retries replace the per-request retries of
    /// <see cref="MaxRetryAttempts"/>. Default 5 minutes.
    /// </summary>
    public TimeSpan BatchRetryTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Retries of a call made on <see cref="EventTrackerClient"/> on network errors, 408, 429 and 5xx; 0 turns them
    /// off. A call that fails on every attempt makes 1 + this many requests. Batches the background tracker sends are
    /// retried by it instead (see <see cref="BatchRetryTimeout"/>). Default 3.
    /// </summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First retry delay; later ones grow exponentially with jitter, or follow <c>Retry-After</c>. Default 500 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Timeout of one attempt. Default 10 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of a request across all its attempts. Default 60 seconds.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether batch bodies larger than <see cref="CompressionThresholdBytes"/> are sent gzip-compressed. Default true (servers before 0.2 cannot read them: turn it off for those).</summary>
    public bool CompressBatches { get; set; } = true;

    /// <summary>Batch bodies larger than this many bytes are compressed when <see cref="CompressBatches"/> is on. Default 8 KiB.</summary>
    public int CompressionThresholdBytes { get; set; } = 8 * 1024;

    /// <summary>Longest pause between reconnects of a live stream, and between background retries of a batch. Default 30 seconds.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long disposing the background tracker, or stopping the host it runs in, waits for queued events to be sent;
    /// what is undelivered then is given up, counted as dropped and logged as one warning with the count. Default 5 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The address used when <see cref="BaseAddress"/> is not set.</summary>
    internal static Uri DefaultBaseAddress { get; } = new("http://localhost:3000");

    internal Uri EffectiveBaseAddress => BaseAddress ?? DefaultBaseAddress;

    internal EventTrackerClientOptions Clone() => (EventTrackerClientOptions)MemberwiseClone();
}

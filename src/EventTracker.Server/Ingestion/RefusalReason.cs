namespace EventTracker.Server.Ingestion;

/// <summary>Why events were not admitted.</summary>
internal enum RefusalReason
{
    /// <summary>They break the event rules, or the request could not be read.</summary>
    Invalid,

    /// <summary>The sender is over its event budget.</summary>
    RateLimited,

    /// <summary>The server is too far behind writing events to take more now (load shed).</summary>
    Shed,

    /// <summary>The store cannot take writes now (disk full, database down, shutting down).</summary>
    StoreUnavailable,
}

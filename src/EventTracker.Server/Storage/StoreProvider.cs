namespace EventTracker.Server.Storage;

/// <summary>Where the server keeps its events (<c>EventTracker:Store:Provider</c>).</summary>
public enum StoreProvider
{
    /// <summary>The default: an append-only log in the data directory, held in memory for queries; one process.</summary>
    Embedded,

    /// <summary>Memory only: gone when the server stops.</summary>
    Memory,

    /// <summary>A PostgreSQL database named by the <c>ConnectionStrings:EventTracker</c> setting; several nodes can share it.</summary>
    PostgreSQL,
}

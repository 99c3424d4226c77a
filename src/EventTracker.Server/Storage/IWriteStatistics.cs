namespace EventTracker.Server.Storage;

/// <summary>What a store that writes behind its appends tells about its writing, for the server's metrics.</summary>
internal interface IWriteStatistics
{
    /// <summary>Events taken and not yet written.</summary>
    long QueuedEvents { get; }

    /// <summary>Times the store forced its writes to disk (<c>fsync</c>); 0 for a store that leaves that to its database.</summary>
    long DiskSyncs { get; }

    /// <summary>Time spent forcing writes to disk, in seconds.</summary>
    double DiskSyncSeconds { get; }
}

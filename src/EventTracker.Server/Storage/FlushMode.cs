namespace EventTracker.Server.Storage;

/// <summary>When the event log is forced to disk, and so what an acknowledged append survives.</summary>
public enum FlushMode
{
    /// <summary>Before every acknowledgement (one <c>fsync</c> per group of waiting appends): survives a crash of the machine.</summary>
    Sync,

    /// <summary>Every <see cref="EventStoreOptions.FlushInterval"/>: survives a crash of the process; a machine crash loses at most that interval.</summary>
    Interval,

    /// <summary>Whenever the operating system writes: survives a crash of the process only.</summary>
    Never,
}

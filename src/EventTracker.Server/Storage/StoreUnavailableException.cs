namespace EventTracker.Server.Storage;

/// <summary>The store cannot take writes for now (for example the disk is full); nothing of the refused append was stored.</summary>
internal sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Refused because the server is too far behind writing (load shed), not because the store failed.</summary>
    public bool Shed { get; init; }

    /// <summary>When a client should try again.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);
}

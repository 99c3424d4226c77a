namespace EventTracker.Server.Storage;

/// <summary>
/// Follows a store's change feed. Calls arrive one at a time, in sequence order, while the store holds its write
/// lock: keep them short and never call back into the store from them.
/// </summary>
internal interface IEventStoreObserver
{
    /// <summary>
    /// The events held when the observer subscribed, oldest first, and the sequence the next stored event will get;
    /// every later change follows through the other methods.
    /// </summary>
    void OnSubscribed(IReadOnlyList<EventRecord> held, long nextSequence);

    /// <summary>Events that were stored, oldest first. The list is reused after the call: copy what must be kept.</summary>
    void OnAppended(IReadOnlyList<EventRecord> records);

    /// <summary>An event that left the store for capacity or age.</summary>
    void OnEvicted(EventRecord record);
}

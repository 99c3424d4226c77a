namespace EventTracker.Server.Analytics;

/// <summary>Counts of one event name within one service.</summary>
internal sealed class NameRollup
{
    public long Count { get; set; }

    public long Errors { get; set; }
}

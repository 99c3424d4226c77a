namespace EventTracker.Server.Insights;

/// <summary>
/// What one service's measures are compared over: windows of <see cref="Width"/> milliseconds, the latest against
/// the <see cref="Windows"/> before <see cref="BaselineEnd"/>. An open episode keeps the plan it was found with, so
/// its baseline stays the time before it began however long it lasts.
/// </summary>
internal readonly record struct BaselinePlan(long Width, long BaselineEnd, int Windows)
{
    public long BaselineStart => BaselineEnd - (Windows * Width);
}

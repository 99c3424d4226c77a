namespace EventTracker.Server.Analytics;

/// <summary>
/// The numbers the suggestion rules read about one service, taken from the projection's sliding windows while they
/// are locked, so an answer copies a few numbers instead of rollups.
/// </summary>
internal sealed record ServiceFigures(
    string ServiceName, long Count, long Errors, long ResponseCount, double? AverageResponseTime, double? P95,
    long RecentCount, long RecentErrors, long BaselineCount, long BaselineErrors, long Logins, long FailedLogins)
{
    /// <param name="window">The rules' window.</param>
    /// <param name="recent">The spike window.</param>
    /// <param name="recentAndBaseline">The spike window and the baseline before it.</param>
    /// <param name="loginWindow">The failed-login window.</param>
    public static ServiceFigures Of(ServiceRollup window, ServiceRollup? recent, ServiceRollup? recentAndBaseline, ServiceRollup? loginWindow)
    {
        var (logins, failed) = loginWindow?.LoginCounts() ?? (0, 0);
        var recentCount = recent?.Count ?? 0;
        var recentErrors = recent?.Errors ?? 0;
        return new ServiceFigures(
            window.ServiceName, window.Count, window.Errors, window.ResponseTimes.Count, window.AverageResponseTime, window.ResponseTimes.Percentile(95),
            recentCount, recentErrors, (recentAndBaseline?.Count ?? 0) - recentCount, (recentAndBaseline?.Errors ?? 0) - recentErrors, logins, failed);
    }
}

namespace EventTracker.Server.Storage;

/// <summary>
/// Sums of response times, kept in whole microseconds. Integer sums come out the same in any order, so a node that
/// added events one by one, one that merged minutes into hours and one that read a database's per-commit sums agree
/// to the last digit, and taking out what was added leaves exactly what was there (floating-point sums do neither).
/// </summary>
internal static class ResponseTimeTotal
{
    /// <summary>
    /// The most a single response time adds (10⁹ ms, about 11.6 days), so that no sum of realistic counts overflows;
    /// the event itself keeps its value.
    /// </summary>
    public const long MaxMicroseconds = 1_000_000_000_000;

    /// <summary>What <paramref name="milliseconds"/> adds to a sum: rounded to the nearest microsecond.</summary>
    public static long Of(double milliseconds) => (long)Math.Round(Math.Min(milliseconds * 1000, MaxMicroseconds));

    /// <summary>The mean of <paramref name="count"/> response times that add up to <paramref name="microseconds"/>, in milliseconds.</summary>
    public static double Average(long microseconds, long count) => microseconds / 1000.0 / count;
}

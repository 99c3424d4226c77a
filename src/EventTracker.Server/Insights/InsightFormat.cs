using System.Globalization;
using EventTracker.Contracts;

namespace EventTracker.Server.Insights;

/// <summary>How the detectors write numbers, spans and time ranges: invariant culture, milliseconds to times.</summary>
internal static class InsightFormat
{
    public static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public static string Span(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours % 1 == 0 ? F($"{span.TotalHours:0} h") : F($"{span.TotalMinutes:0.#} min");

    public static TimeRange Range(long from, long to) =>
        new() { From = DateTimeOffset.FromUnixTimeMilliseconds(from), To = DateTimeOffset.FromUnixTimeMilliseconds(to) };
}

using System.Globalization;

namespace EventTracker.Server.Http;

/// <summary>
/// Reads the <c>from</c> and <c>to</c> query parameters: ISO 8601, milliseconds since the Unix epoch,
/// or a span back from now such as <c>30s</c>, <c>15m</c>, <c>24h</c>, <c>7d</c> or <c>2w</c>; nothing outside the
/// range of <see cref="DateTimeOffset"/> (years 1 to 9999).
/// </summary>
internal static class TimeParameter
{
    /// <summary>The forms <see cref="TryParse"/> takes, as error messages name them.</summary>
    public const string Forms = "an ISO 8601 time, milliseconds since the Unix epoch, or a span such as 15m, 24h or 7d";

    public static bool TryParse(string value, DateTimeOffset now, out long milliseconds)
    {
        milliseconds = 0;
        if (value.Length == 0)
        {
            return false;
        }

        if (value.All(char.IsAsciiDigit))
        {
            return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out milliseconds)
                && milliseconds <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
        }

        if (TryParseRelative(value, out var span))
        {
            if (span > now - DateTimeOffset.MinValue)
            {
                return false;
            }

            milliseconds = (now - span).ToUnixTimeMilliseconds();
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            milliseconds = time.ToUnixTimeMilliseconds();
            return true;
        }

        return false;
    }

    /// <summary>A span such as <c>30s</c>, <c>15m</c>, <c>24h</c> or <c>7d</c>.</summary>
    public static bool TryParseRelative(string value, out TimeSpan span)
    {
        span = default;
        var unitStart = value.AsSpan().IndexOfAnyExceptInRange('0', '9');
        if (unitStart <= 0
            || !int.TryParse(value.AsSpan(0, unitStart), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        TimeSpan? unit = value[unitStart..] switch
        {
            "s" => TimeSpan.FromSeconds(1),
            "m" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            "d" => TimeSpan.FromDays(1),
            "w" => TimeSpan.FromDays(7),
            _ => null,
        };
        if (unit is not { } size || amount > TimeSpan.MaxValue / size / 2)
        {
            return false;
        }

        span = size * amount;
        return true;
    }
}

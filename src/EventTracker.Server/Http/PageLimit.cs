namespace EventTracker.Server.Http;

/// <summary>How every transport reads a page size: a negative one is refused, anything else is brought into the allowed range.</summary>
internal static class PageLimit
{
    /// <summary>The problem with a negative page size.</summary>
    public const string Negative = "Must not be negative.";

    /// <summary><paramref name="value"/> brought into [<paramref name="min"/>, <paramref name="max"/>]; null when it is negative.</summary>
    public static int? Read(long value, int min, int max) => value < 0 ? null : (int)Math.Clamp(value, min, max);
}

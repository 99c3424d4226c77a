namespace EventTracker.Server.Storage;

/// <summary>Recognises events that count as errors, and event names that say something failed.</summary>
internal static class ErrorNames
{
    /// <summary>Whether an event counts as an error: status 400 or more, or a name saying it failed.</summary>
    public static bool IsError(int? statusCode, string name) => statusCode >= 400 || IsErrorName(name);

    public static bool IsErrorName(string name) =>
        name.Contains("error", StringComparison.OrdinalIgnoreCase)
        || name.Contains("fail", StringComparison.OrdinalIgnoreCase)
        || name.Contains("exception", StringComparison.OrdinalIgnoreCase);
}

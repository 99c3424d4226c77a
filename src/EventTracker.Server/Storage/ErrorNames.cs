namespace EventTracker.Server.Storage;

/// <summary>Recognises event names that say something failed.</summary>
internal static class ErrorNames
{
    public static bool IsErrorName(string name) =>
        name.Contains("error", StringComparison.OrdinalIgnoreCase)
        || name.Contains("fail", StringComparison.OrdinalIgnoreCase)
        || name.Contains("exception", StringComparison.OrdinalIgnoreCase);
}

using System.Text.Json;

namespace EventTracker.Server.Validation;

/// <summary>Turns a JSON parse failure into a field path and a message a client can act on.</summary>
internal static class JsonErrors
{
    public static void Add(JsonException exception, ValidationErrors errors)
    {
        var path = exception.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : "body";
        var field = path.Split('.')[^1];
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            field = field[..bracket];
        }

        var expected = IsUnmappedMember(exception) ? UnknownBatchItemMember : field switch
        {
            "statusCode" => "Must be an integer.",
            "responseTimeMs" => "Must be a number.",
            "metadata" or "payload" => "Must be a JSON object.",
            "events" => "Must be an array of events.",
            "body" => "The body is not a valid JSON object.",
            _ => "Must be a string.",
        };
        var position = exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty;
        errors.Add(path, expected + position);
    }

    private const string UnknownBatchItemMember =
        "Not a member of a batch item (eventName, eventId, payload); the event's data, userId and timestamp included, goes in payload.";

    // Only BatchTrackEventItem disallows unmapped members; System.Text.Json names the case in its message only.
    private static bool IsUnmappedMember(JsonException exception) =>
        exception.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal);
}

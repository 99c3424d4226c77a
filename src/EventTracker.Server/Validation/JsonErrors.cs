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

        var expected = field switch
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
}

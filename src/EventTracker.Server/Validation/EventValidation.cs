using System.Globalization;
using System.Text.Json;
using EventTracker.Contracts;

namespace EventTracker.Server.Validation;

/// <summary>The rules every tracked event must meet, reported per field.</summary>
internal static class EventValidation
{
    public const int MaxNameLength = 200;
    public const int MaxIdentifierLength = 200;
    public const int MaxTextLength = 2000;
    public const int MaxStatusCode = 999;

    public static void ValidateName(string? name, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add(field, "The event name is required.");
        }
        else if (name.Length > MaxNameLength)
        {
            errors.Add(field, $"The event name must be at most {MaxNameLength} characters.");
        }
        else if (HasControlCharacters(name))
        {
            errors.Add(field, "The event name must not contain control characters.");
        }
    }

    public static void ValidateIdentifier(string? value, string field, ValidationErrors errors, int maxLength = MaxIdentifierLength)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length == 0 || value.Length > maxLength)
        {
            errors.Add(field, $"Must be 1 to {maxLength} characters.");
        }
        else if (HasControlCharacters(value))
        {
            errors.Add(field, "Must not contain control characters.");
        }
    }

    /// <summary>
    /// Checks the payload's fields, its <c>timestamp</c> (when the event happened) within <paramref name="window"/>;
    /// <paramref name="prefix"/> is prepended to field names (<c>events[2].payload.</c>).
    /// </summary>
    public static void ValidatePayload(AIEventPayload payload, string prefix, EventTimeWindow window, ValidationErrors errors)
    {
        ValidateTimestamp(payload, prefix + "timestamp", window, errors);
        ValidateIdentifier(payload.ServiceName, prefix + "serviceName", errors);
        ValidateIdentifier(payload.SessionId, prefix + "sessionId", errors);
        ValidateIdentifier(payload.CorrelationId, prefix + "correlationId", errors);
        ValidateIdentifier(payload.UserRole, prefix + "userRole", errors);
        ValidateText(payload.UserAgent, prefix + "userAgent", errors);
        ValidateText(payload.Referrer, prefix + "referrer", errors);
        if (payload.StatusCode is < 0 or > MaxStatusCode)
        {
            errors.Add(prefix + "statusCode", $"Must be between 0 and {MaxStatusCode}.");
        }

        if (payload.ResponseTimeMs is { } ms && (ms < 0 || !double.IsFinite(ms)))
        {
            errors.Add(prefix + "responseTimeMs", "Must be a non-negative number of milliseconds.");
        }

        if (payload.AdditionalProperties?.GetValueOrDefault("userId") is { ValueKind: not JsonValueKind.Undefined } userId)
        {
            if (userId.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
            {
                errors.Add(prefix + "userId", "Must be a string or a number.");
            }
            else
            {
                ValidateIdentifier(UserIdOf(userId), prefix + "userId", errors);
            }
        }
    }

    /// <summary>
    /// When the event happened, from the payload's own <c>timestamp</c> field (ISO 8601, or milliseconds since the Unix
    /// epoch as a number or a string of digits); null when there is none or it is not a time.
    /// </summary>
    public static long? PayloadTimestamp(AIEventPayload payload) =>
        TimestampField(payload) is { } value && TryReadTime(value, out var milliseconds) ? milliseconds : null;

    /// <summary>The payload's own <c>userId</c> field, if it has one.</summary>
    public static string? PayloadUserId(AIEventPayload payload) =>
        payload.AdditionalProperties?.GetValueOrDefault("userId") is { } value ? UserIdOf(value) : null;

    private static string? UserIdOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    private static void ValidateTimestamp(AIEventPayload payload, string field, EventTimeWindow window, ValidationErrors errors)
    {
        if (TimestampField(payload) is not { } value)
        {
            return;
        }

        if (!TryReadTime(value, out var milliseconds))
        {
            errors.Add(field, "Must be when the event happened: an ISO 8601 time or milliseconds since the Unix epoch.");
        }
        else if (milliseconds > window.Latest)
        {
            errors.Add(field, $"Must not be later than {Format(window.Latest)} (a few minutes after the server's clock).");
        }
        else if (milliseconds < window.Earliest)
        {
            errors.Add(field, $"Must not be earlier than {Format(window.Earliest)} (older events are beyond the retention window).");
        }
    }

    private static JsonElement? TimestampField(AIEventPayload payload) =>
        payload.AdditionalProperties?.GetValueOrDefault("timestamp") is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } value ? value : null;

    private static bool TryReadTime(JsonElement value, out long milliseconds)
    {
        milliseconds = 0;
        var minimum = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
        var maximum = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number) && number >= minimum && number <= maximum:
                milliseconds = (long)Math.Round(number);
                return true;
            case JsonValueKind.String when value.GetString() is { Length: > 0 } text:
                if (text.All(char.IsAsciiDigit))
                {
                    return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out milliseconds) && milliseconds <= maximum;
                }

                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                {
                    milliseconds = time.ToUnixTimeMilliseconds();
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    private static string Format(long milliseconds) =>
        UtcIsoDateTimeConverter.Format(DateTimeOffset.FromUnixTimeMilliseconds(
            Math.Clamp(milliseconds, DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())));

    private static void ValidateText(string? value, string field, ValidationErrors errors)
    {
        if (value is { Length: > MaxTextLength })
        {
            errors.Add(field, $"Must be at most {MaxTextLength} characters.");
        }
    }

    private static bool HasControlCharacters(string value) => value.Any(char.IsControl);
}

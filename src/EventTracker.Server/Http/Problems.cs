using EventTracker.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventTracker.Server.Http;

/// <summary>RFC 7807 problem responses that name the offending field in <c>errors</c>.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string field, string message) =>
        Problem(StatusCodes.Status400BadRequest, "One or more validation errors occurred.", field, message);

    public static ProblemHttpResult BadRequest(ValidationErrors errors) =>
        Problem(StatusCodes.Status400BadRequest, "One or more validation errors occurred.", errors.ToDictionary());

    public static ProblemHttpResult TooLarge(string field, string message) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The request is too large.", field, message);

    public static ProblemHttpResult TooLarge(ValidationErrors errors) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "The request is too large.", errors.ToDictionary());

    /// <summary>A body that could not be read as sent: its framing was wrong (400) or it stalled (408).</summary>
    public static ProblemHttpResult BadBody(int status, string message) =>
        Problem(status, status == StatusCodes.Status408RequestTimeout ? "The request body did not arrive in time." : "The request body could not be read.", "body", message);

    public static ProblemHttpResult Unauthorized(string field, string message) =>
        Problem(StatusCodes.Status401Unauthorized, "Authentication is required.", field, message);

    public static ProblemHttpResult Forbidden(string field, string message) =>
        Problem(StatusCodes.Status403Forbidden, "The API key does not allow this.", field, message);

    public static ProblemHttpResult NotFound(string field, string message) =>
        Problem(StatusCodes.Status404NotFound, "Not found.", field, message);

    /// <summary>409: the request is fine, but the server's configuration or state does not allow it.</summary>
    public static ProblemHttpResult Conflict(string field, string message) =>
        Problem(StatusCodes.Status409Conflict, "The server is not set up for this.", field, message);

    /// <summary>429 with <c>Retry-After</c> (whole seconds): this sender or this server has had enough for now.</summary>
    public static ProblemHttpResult TooManyRequests(HttpResponse response, string field, string message, TimeSpan retryAfter)
    {
        response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        return Problem(StatusCodes.Status429TooManyRequests, "Too many requests.", field, message);
    }

    /// <summary>429 for a sender whose event budget is spent (a batch of n events costs n).</summary>
    public static ProblemHttpResult TooManyEvents(HttpResponse response, TimeSpan retryAfter) =>
        TooManyRequests(response, "rate", TooManyEventsMessage(retryAfter), retryAfter);

    /// <summary>What a sender over its event budget is told, in every transport.</summary>
    public static string TooManyEventsMessage(TimeSpan retryAfter) =>
        $"Too many events from this sender; retry in {RetryAfterSeconds(retryAfter)} s. A batch of n events costs n.";

    /// <summary>503 with <c>Retry-After</c> (whole seconds): the server cannot take events now, and stored none of these.</summary>
    public static ProblemHttpResult Unavailable(HttpResponse response, string field, string message, TimeSpan retryAfter)
    {
        response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        return Problem(StatusCodes.Status503ServiceUnavailable, "The service is unavailable.", field, message);
    }

    /// <summary>A wait as <c>Retry-After</c> wants it: whole seconds, rounded up, at least one.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <param name="contentType">The media type sent.</param>
    /// <param name="accepted">What to send instead (<c>send JSON as application/json or text/plain</c>).</param>
    public static ProblemHttpResult UnsupportedMediaType(string contentType, string accepted) =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", "Content-Type", $"'{contentType}' is not accepted; {accepted}.");

    public static ProblemHttpResult UnsupportedContentEncoding(string encoding) =>
        Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content encoding.", "Content-Encoding",
            $"'{encoding}' is not accepted; send the body as is, or compressed with gzip, br or deflate.");

    private static ProblemHttpResult Problem(int status, string title, string field, string message) =>
        Problem(status, title, new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    private static ProblemHttpResult Problem(int status, string title, Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = status,
            Title = title,
            Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
        });
}

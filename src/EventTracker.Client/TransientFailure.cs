using System.Net;
using Polly;
using Polly.Timeout;

namespace EventTracker.Client;

/// <summary>
/// The one definition of a failure worth retrying, used by the resilience pipeline, the background sender and the
/// stream reader: a network error, a timeout, 408, 429 or a 5xx. Every other refusal is final.
/// </summary>
internal static class TransientFailure
{
    private const int TooManyRequests = 429; // no HttpStatusCode member on .NET Standard 2.0

    public static bool Is(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout || (int)status == TooManyRequests || (int)status >= 500;

    /// <summary>Whether a call that threw <paramref name="exception"/> may succeed when tried again.</summary>
    public static bool Is(Exception exception) => exception switch
    {
        EventTrackerException { StatusCode: var status } when status != 0 => Is(status),
        EventTrackerException { InnerException: { } transport } => IsTransport(transport),
        _ => IsTransport(exception),
    };

    /// <summary>Whether <paramref name="exception"/> is the transport's: the server could not be reached or answered too late.</summary>
    public static bool IsTransport(Exception exception) =>
        exception is HttpRequestException or TimeoutRejectedException or TaskCanceledException or IOException;

    /// <summary>Whether the resilience pipeline retries an attempt with this outcome.</summary>
    public static bool Is(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception ? exception is HttpRequestException or TimeoutRejectedException : Is(outcome.Result!.StatusCode);
}

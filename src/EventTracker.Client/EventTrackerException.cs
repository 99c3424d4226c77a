using System.Net;

namespace EventTracker.Client;

/// <summary>The server refused a request, or answered with an error after all retries.</summary>
public sealed class EventTrackerException : Exception
{
    /// <summary>Creates an exception for an error response.</summary>
    /// <param name="statusCode">The response status.</param>
    /// <param name="problem">The server's problem details, when it sent them.</param>
    public EventTrackerException(HttpStatusCode statusCode, EventTrackerProblemDetails? problem)
        : base(MessageFor(statusCode, problem))
    {
        StatusCode = statusCode;
        Problem = problem;
    }

    /// <summary>Creates an exception with a message.</summary>
    public EventTrackerException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public EventTrackerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with no message.</summary>
    public EventTrackerException()
    {
    }

    /// <summary>The response status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The server's problem details, when it sent them.</summary>
    public EventTrackerProblemDetails? Problem { get; }

    private static string MessageFor(HttpStatusCode statusCode, EventTrackerProblemDetails? problem) =>
        $"EventTracker answered {(int)statusCode} ({statusCode})"
        + (problem?.Detail is { } detail ? ": " + detail : problem?.Title is { } title ? ": " + title : ".");
}

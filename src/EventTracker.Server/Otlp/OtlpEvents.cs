using System.Globalization;
using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Validation;

namespace EventTracker.Server.Otlp;

/// <summary>
/// The events an OTLP export request maps to, each checked by the rules every tracked event meets; a record that
/// breaks them is rejected alone (OTLP's partial success) and its problems named by its path in the request.
/// </summary>
internal sealed class OtlpEvents
{
    private const int MaxReportedProblems = 5;

    private readonly EventTimeWindow _window;
    private readonly ValidationErrors _errors = new();

    public OtlpEvents(EventTimeWindow window) => _window = window;

    public List<BatchTrackEventItem> Accepted { get; } = [];

    public int Rejected { get; private set; }

    /// <summary>What the rejected records broke, by their path in the request.</summary>
    public ValidationErrors Errors => _errors;

    /// <summary>What the rejected records broke (the first few), for the partial success's <c>error_message</c>.</summary>
    public string ErrorMessage
    {
        get
        {
            var problems = _errors.ToDictionary().SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")).ToList();
            var shown = string.Join(" ", problems.Take(MaxReportedProblems));
            return problems.Count > MaxReportedProblems ? $"{shown} (and {problems.Count - MaxReportedProblems} more)" : shown;
        }
    }

    /// <summary>Rejects the record at <paramref name="path"/> for <paramref name="errors"/>, found before it became an event.</summary>
    public void Reject(string path, ValidationErrors errors)
    {
        Rejected++;
        _errors.AddAll(errors, path + ".");
    }

    /// <param name="path">Where the record is in the request (<c>resourceSpans[0].scopeSpans[1].spans[7]</c>).</param>
    /// <param name="name">The event name.</param>
    /// <param name="payload">The event's payload.</param>
    /// <param name="eventId">An id that makes a retried export store the record once, when the record has one.</param>
    /// <param name="timestamp">When it happened, in milliseconds since the Unix epoch; null for "now".</param>
    /// <param name="userId">The user it concerns.</param>
    public void Add(string path, string name, AIEventPayload payload, string? eventId, long? timestamp, string? userId)
    {
        if (timestamp is not null || userId is not null)
        {
            payload.AdditionalProperties = [];
            if (timestamp is { } ms)
            {
                payload.AdditionalProperties["timestamp"] = JsonElement.Parse(ms.ToString(CultureInfo.InvariantCulture));
            }

            if (userId is not null)
            {
                payload.AdditionalProperties["userId"] = JsonSerializer.SerializeToElement(userId, EventTrackerJsonContext.Default.String);
            }
        }

        var errors = new ValidationErrors();
        EventValidation.ValidateName(name, "name", errors);
        EventValidation.ValidatePayload(payload, string.Empty, _window, errors);
        EventValidation.ValidateIdentifier(eventId, "id", errors);
        if (errors.Any)
        {
            Reject(path, errors);
            return;
        }

        Accepted.Add(new BatchTrackEventItem { EventName = name, EventId = eventId, Payload = payload });
    }
}

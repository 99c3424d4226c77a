using EventTracker.Server.Http;
using EventTracker.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventTracker.Server.Ingestion;

/// <summary>
/// Events that were not admitted, and why, in terms every transport writes in its own protocol: problem details
/// (<see cref="ToProblem"/>), a WebSocket error envelope or an OTLP status (both from <see cref="Errors"/>).
/// Nothing of a refused request was stored.
/// </summary>
internal sealed class AdmissionRefusal
{
    private AdmissionRefusal(RefusalReason reason, ValidationErrors errors, TimeSpan retryAfter, bool tooLarge)
    {
        Reason = reason;
        Errors = errors;
        RetryAfter = retryAfter;
        TooLarge = tooLarge;
    }

    public RefusalReason Reason { get; }

    /// <summary>What is wrong, by field (<c>rate</c> and <c>store</c> for refusals that are not the request's fault).</summary>
    public ValidationErrors Errors { get; }

    /// <summary>When to try again, for refusals a retry can get past.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>Refused for its size (413) rather than its content (400).</summary>
    public bool TooLarge { get; }

    public static AdmissionRefusal Invalid(ValidationErrors errors, bool tooLarge = false) => new(RefusalReason.Invalid, errors, TimeSpan.Zero, tooLarge);

    public static AdmissionRefusal RateLimited(TimeSpan retryAfter) =>
        new(RefusalReason.RateLimited, Single("rate", Problems.TooManyEventsMessage(retryAfter)), retryAfter, tooLarge: false);

    public static AdmissionRefusal Unavailable(Storage.StoreUnavailableException exception) =>
        new(exception.Shed ? RefusalReason.Shed : RefusalReason.StoreUnavailable, Single("store", exception.Message), exception.RetryAfter, tooLarge: false);

    /// <summary>The refusal as problem details, with <c>Retry-After</c> on <paramref name="response"/> when a retry can succeed.</summary>
    public ProblemHttpResult ToProblem(HttpResponse response) => Reason switch
    {
        RefusalReason.Invalid => TooLarge ? Problems.TooLarge(Errors) : Problems.BadRequest(Errors),
        RefusalReason.RateLimited => Problems.TooManyEvents(response, RetryAfter),
        _ => Problems.Unavailable(response, "store", string.Join(" ", Errors.ToDictionary()["store"]), RetryAfter),
    };

    private static ValidationErrors Single(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors;
    }
}

using Microsoft.Extensions.Options;

namespace EventTracker.AspNetCore;

/// <summary>Checks <see cref="EventTrackingOptions"/> when the host starts; each message names the option.</summary>
internal sealed class EventTrackingOptionsValidator : IValidateOptions<EventTrackingOptions>
{
    public ValidateOptionsResult Validate(string? name, EventTrackingOptions options)
    {
        var failures = new List<string>();
        if (double.IsNaN(options.SampleRate) || options.SampleRate is < 0 or > 1)
        {
            failures.Add(FormattableString.Invariant($"{nameof(EventTrackingOptions)}.{nameof(options.SampleRate)} must be between 0 and 1, not {options.SampleRate}."));
        }

        if (options.Randomizer is null)
        {
            failures.Add($"{nameof(EventTrackingOptions)}.{nameof(options.Randomizer)} must be set.");
        }

        if (options.ExcludedPaths.Any(path => !path.HasValue))
        {
            failures.Add($"{nameof(EventTrackingOptions)}.{nameof(options.ExcludedPaths)} must not hold an empty path (it would exclude every request).");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}

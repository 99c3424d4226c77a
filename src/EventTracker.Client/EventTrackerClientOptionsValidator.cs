using Microsoft.Extensions.Options;

namespace EventTracker.Client;

/// <summary>
/// The one check of <see cref="EventTrackerClientOptions"/>: run by the client's constructors (an
/// <see cref="ArgumentException"/>) and, with dependency injection, at host start (<c>ValidateOnStart</c>). Each
/// message names the option as configuration does (<c>EventTracker:MaxBatchSize</c>) and the value it got.
/// </summary>
internal sealed class EventTrackerClientOptionsValidator : IValidateOptions<EventTrackerClientOptions>
{
    // Polly's own bounds for a timeout strategy; outside them the pipeline would throw when it is built.
    private static readonly TimeSpan ShortestTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EventTrackerClientOptions options) =>
        Failures(options) is { Count: > 0 } failures ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;

    /// <summary>Throws an <see cref="ArgumentException"/> listing every invalid option, if any.</summary>
    public static void ThrowIfInvalid(EventTrackerClientOptions options, string parameterName)
    {
        if (Failures(options) is { Count: > 0 } failures)
        {
            throw new ArgumentException(string.Join(" ", failures), parameterName);
        }
    }

    public static List<string> Failures(EventTrackerClientOptions options)
    {
        var failures = new List<string>();
        void Fail(string option, string rule, object? value) =>
            failures.Add($"{EventTrackerClientOptions.Section}:{option} must be {rule}, not {Shown(value)}.");

        if (options.BaseAddress is { } address && (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps)))
        {
            Fail(nameof(options.BaseAddress), "an absolute http or https address", address.OriginalString);
        }

        if (options.ServiceName is { } service && (service.Length is 0 or > 200 || service.Trim().Length != service.Length))
        {
            Fail(nameof(options.ServiceName), "1 to 200 characters without leading or trailing spaces, or not set", service);
        }

        if (string.IsNullOrWhiteSpace(options.ApiKeyHeaderName))
        {
            Fail(nameof(options.ApiKeyHeaderName), "a header name", options.ApiKeyHeaderName);
        }

        CheckRange(nameof(options.MaxBatchSize), options.MaxBatchSize, 1, EventTrackerClientOptions.MaxEventsPerBatch);
        CheckRange(nameof(options.MaxBatchBytes), options.MaxBatchBytes, 1024, int.MaxValue);
        CheckRange(nameof(options.QueueCapacity), options.QueueCapacity, 1, int.MaxValue);
        CheckRange(nameof(options.MaxRetryAttempts), options.MaxRetryAttempts, 0, 100);
        CheckRange(nameof(options.CompressionThresholdBytes), options.CompressionThresholdBytes, 0, int.MaxValue);
        if (options.MaxQueueBytes < 1024)
        {
            Fail(nameof(options.MaxQueueBytes), "at least 1024", options.MaxQueueBytes);
        }

        if (options.QueueFullPolicy is not (QueueFullPolicy.DropNewest or QueueFullPolicy.DropOldest or QueueFullPolicy.Wait))
        {
            Fail(nameof(options.QueueFullPolicy), "DropNewest, DropOldest or Wait", (int)options.QueueFullPolicy);
        }

        CheckDuration(nameof(options.FlushInterval), options.FlushInterval, TimeSpan.FromMilliseconds(1), LongestTimeout);
        CheckDuration(nameof(options.BatchRetryTimeout), options.BatchRetryTimeout, TimeSpan.Zero, TimeSpan.MaxValue);
        CheckDuration(nameof(options.RetryDelay), options.RetryDelay, TimeSpan.Zero, LongestTimeout);
        CheckDuration(nameof(options.AttemptTimeout), options.AttemptTimeout, ShortestTimeout, LongestTimeout);
        CheckDuration(nameof(options.TotalTimeout), options.TotalTimeout, ShortestTimeout, LongestTimeout);
        CheckDuration(nameof(options.MaxReconnectDelay), options.MaxReconnectDelay, TimeSpan.FromMilliseconds(1), LongestTimeout);
        CheckDuration(nameof(options.ShutdownTimeout), options.ShutdownTimeout, TimeSpan.Zero, LongestTimeout);
        return failures;

        void CheckRange(string option, long value, long min, long max)
        {
            if (value < min || value > max)
            {
                Fail(option, max == int.MaxValue ? $"at least {min}" : $"between {min} and {max}", value);
            }
        }

        void CheckDuration(string option, TimeSpan value, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max)
            {
                Fail(option, max == TimeSpan.MaxValue ? $"at least {min}" : $"between {min} and {max}", value);
            }
        }
    }

    private static string Shown(object? value) => value switch
    {
        null => "nothing",
        string text => $"'{text}'",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "nothing",
    };
}

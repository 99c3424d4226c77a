using System.ComponentModel.DataAnnotations;
using EventTracker.Contracts;

namespace EventTracker.Server.Alerts;

/// <summary>
/// Webhooks told when an insight episode opens and when it closes (configuration section <c>EventTracker:Alerts</c>),
/// and how their deliveries are retried. With no webhooks, nothing is sent and nothing runs.
/// </summary>
public sealed class AlertOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "EventTracker:Alerts";

    /// <summary>The webhooks. Default none.</summary>
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>The first retry's delay; each next one doubles, with jitter. Default 2 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait before a retry, a server's <c>Retry-After</c> included. Default 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts per message, the first included, before it is given up and counted as failed. Default 5.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long one attempt may take. Default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages waiting to be sent; when full, the oldest is dropped and counted. Default 1,000.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 1000;

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Webhooks.Count; i++)
        {
            var webhook = Webhooks[i];
            var path = $"{Section}:Webhooks:{i}";
            if (string.IsNullOrWhiteSpace(webhook.Name))
            {
                yield return new ValidationResult($"{path}:Name is required.");
            }

            if (!Uri.TryCreate(webhook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                yield return new ValidationResult($"{path}:Url must be an absolute http or https URL (was '{Webhook.Redact(webhook.Url)}').");
            }

            foreach (var type in webhook.Types.Where(t => !InsightTypes.All.Contains(t, StringComparer.Ordinal)))
            {
                yield return new ValidationResult($"{path}:Types has '{type}'; each must be one of {string.Join(", ", InsightTypes.All)} (none = all).");
            }

            if (!(webhook.MinPriority is >= 0 and <= 1))
            {
                yield return new ValidationResult($"{path}:MinPriority must be between 0 and 1.");
            }

            if (webhook.Secret is not null && !WebhookSignature.TryReadKey(webhook.Secret, out _))
            {
                yield return new ValidationResult($"{path}:Secret must not be empty, and after a '{WebhookSignature.SecretPrefix}' prefix must be base64.");
            }
        }

        foreach (var name in Webhooks.GroupBy(w => w.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            yield return new ValidationResult($"{Section}:Webhooks must have distinct names; '{name}' is used more than once.");
        }
    }
}

using System.Globalization;

namespace EventTracker.Server.Alerts;

/// <summary>
/// Stamps each attempt with <c>webhook-timestamp</c> and, for a webhook with a secret, signs it. It sits inside the
/// retry pipeline, so a retry is signed afresh with its own time and stays within a receiver's tolerance window.
/// </summary>
internal sealed class WebhookSigningHandler(TimeProvider time) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(AlertSender.DeliveryOption, out var delivery))
        {
            var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
            request.Headers.Remove(WebhookHeaders.Timestamp);
            request.Headers.TryAddWithoutValidation(WebhookHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
            if (delivery.Webhook.Key is { } key)
            {
                request.Headers.Remove(WebhookHeaders.Signature);
                request.Headers.TryAddWithoutValidation(WebhookHeaders.Signature, WebhookSignature.Sign(key, delivery.Id, timestamp, delivery.Body));
            }
        }

        return base.SendAsync(request, cancellationToken);
    }
}

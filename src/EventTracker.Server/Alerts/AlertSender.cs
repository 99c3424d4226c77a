using System.Net.Http.Headers;

namespace EventTracker.Server.Alerts;

/// <summary>
/// The one background sender: takes the queued messages in order and POSTs each to its webhook through the
/// <see cref="HttpClientName"/> client, whose pipeline (<see cref="AlertResilience"/>) retries and signs each attempt.
/// Counts each message once — delivered, or failed after its last attempt — and logs a webhook once when it starts
/// failing and once when it delivers again, not per attempt. Messages wait behind a failing webhook's retries, at most
/// <see cref="AlertOptions.MaxAttempts"/> attempts of <see cref="AlertOptions.AttemptTimeout"/> and their back-off.
/// </summary>
internal sealed partial class AlertSender : BackgroundService
{
    /// <summary>The named <see cref="HttpClient"/> webhooks are called with.</summary>
    public const string HttpClientName = "EventTracker.Alerts";

    /// <summary>Where the signing handler finds the message an attempt carries.</summary>
    public static readonly HttpRequestOptionsKey<AlertDelivery> DeliveryOption = new("EventTracker.AlertDelivery");

    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly AlertDispatcher _dispatcher;
    private readonly IHttpClientFactory _clients;
    private readonly AlertMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertSender> _logger;

    public AlertSender(AlertDispatcher dispatcher, IHttpClientFactory clients, AlertMetrics metrics, TimeProvider time, ILogger<AlertSender> logger)
    {
        _dispatcher = dispatcher;
        _clients = clients;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_dispatcher.Webhooks.Count == 0)
        {
            return;
        }

        var client = _clients.CreateClient(HttpClientName);
        AlertDelivery? sending = null;
        try
        {
            while (await _dispatcher.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_dispatcher.Reader.TryRead(out sending))
                {
                    await DeliverAsync(client, sending, stoppingToken);
                }

                _dispatcher.Drained();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            var dropped = _dispatcher.DropQueued();
            if (sending is not null)
            {
                _metrics.Dropped(sending.Webhook); // cut off mid-attempt: neither delivered nor given up
                dropped++;
            }

            if (dropped > 0)
            {
                Log.DroppedAtShutdown(_logger, dropped);
            }
        }
    }

    private async Task DeliverAsync(HttpClient client, AlertDelivery delivery, CancellationToken stoppingToken)
    {
        var webhook = delivery.Webhook;
        string? error;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(delivery.Body) };
            request.Content.Headers.ContentType = Json;
            request.Headers.TryAddWithoutValidation(WebhookHeaders.Id, delivery.Id);
            request.Options.Set(DeliveryOption, delivery);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stoppingToken);
            error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Whatever went wrong with one webhook must not stop the sender, nor the server with it.
            error = e.Message;
        }

        var now = _time.GetUtcNow();
        if (error is null)
        {
            if (_metrics.Delivered(webhook, now) is > 0 and var failures)
            {
                Log.Recovered(_logger, webhook.Name, webhook.DisplayUrl, failures);
            }
        }
        else if (_metrics.Failed(webhook, error, now))
        {
            Log.Failing(_logger, webhook.Name, webhook.DisplayUrl, delivery.Type, error);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning,
            Message = "Webhook {Name} ({Url}) is failing: a {Type} message was given up after its retries ({Error}). Further failures are counted (GET /api/alerts), not logged, until it delivers again.")]
        public static partial void Failing(ILogger logger, string name, string url, string type, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Name} ({Url}) delivers again, after {Failures} failed messages.")]
        public static partial void Recovered(ILogger logger, string name, string url, long failures);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The server stopped with {Count} alert messages unsent; they are counted as dropped.")]
        public static partial void DroppedAtShutdown(ILogger logger, int count);
    }
}

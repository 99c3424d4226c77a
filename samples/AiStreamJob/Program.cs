using System.Globalization;
using System.Text.Json;
using AiStreamJob;
using EventTracker.Client;
using EventTracker.Contracts;

// Reads the live stream and flags response times that are unusual for their service:
// a rolling z-score over each service's last 200 response times.
const int Window = 200;
const int MinimumSamples = 30;
const double Threshold = 3.0;

var server = new Uri(args.Length > 0 ? args[0] : "http://localhost:3000");
var client = new EventTrackerClient(server);
var statistics = new Dictionary<string, RollingStatistics>();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

Console.WriteLine($"Watching {server} for response-time anomalies (|z| > {Threshold}). Ctrl+C to stop.");
await foreach (var message in client.StreamAsync(cancellationToken: stop.Token))
{
    switch (message.Type)
    {
        case StreamMessageTypes.Event:
            var storedEvent = message.Data.Deserialize(EventTrackerJsonContext.Default.StoredEvent)!;
            if (storedEvent.Payload.ResponseTimeMs is not { } responseTime)
            {
                break;
            }

            var service = storedEvent.ServiceName ?? "unknown";
            if (!statistics.TryGetValue(service, out var rolling))
            {
                statistics[service] = rolling = new RollingStatistics(Window);
            }

            var z = rolling.ZScore(responseTime);
            if (rolling.Count >= MinimumSamples && Math.Abs(z) > Threshold)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"ALERT {service}: {storedEvent.Name} took {responseTime:0} ms (z = {z:0.0}; typical {rolling.Mean:0} ± {rolling.StandardDeviation:0} ms)"));
            }

            rolling.Add(responseTime);
            break;
        case StreamMessageTypes.Dropped:
            Console.WriteLine($"(fell behind: {message.Data.GetProperty("count").GetInt64()} messages missed)");
            break;
    }
}

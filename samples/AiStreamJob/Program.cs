using System.Globalization;
using System.Text.Json;
using AiStreamJob;
using EventTracker.Client;
using EventTracker.Contracts;

// Reads the live stream: prints the server's insights (anomalies against each service's baseline, security and
// user-experience findings, with their evidence) as they are detected, and flags single response times that are
// unusual for their service with a rolling z-score over its last 200 response times.
const int Window = 200;
const int MinimumSamples = 30;
const double Threshold = 3.0;

var server = new Uri(args.Length > 0 ? args[0] : "http://localhost:3000");
var client = new EventTrackerClient(server);
var statistics = new Dictionary<string, RollingStatistics>();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

Console.WriteLine($"Watching {server} for insights and response-time anomalies (|z| > {Threshold}). Ctrl+C to stop.");
var current = await client.GetInsightsAsync(cancellationToken: stop.Token);
foreach (var open in current.Insights.Where(i => i.Open))
{
    Print("OPEN", open);
}

foreach (var warming in current.Baselines.Where(b => b.WarmingUp))
{
    Console.WriteLine($"{warming.ServiceName}: {warming.Description}");
}

await foreach (var message in client.StreamAsync(cancellationToken: stop.Token))
{
    switch (message.Type)
    {
        case StreamMessageTypes.Insight:
            Print("NEW", message.AsInsight()!);
            break;
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

static void Print(string label, AIInsight insight)
{
    var evidence = insight.Evidence;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{label} {insight.Type} insight (priority {insight.Priority:0.00}, confidence {insight.Confidence:0.00}): {insight.Title}"));
    // Anomalies compare with a baseline; patterns (unfinished flows, funnels, sessions acting for many users) meet a threshold.
    Console.WriteLine(evidence is { BaselineMean: { } centre, ZScore: { } z }
        ? string.Create(CultureInfo.InvariantCulture, $"    {evidence.Metric} = {evidence.Current} against a baseline of {centre} (z {z}, n = {evidence.SampleSize})")
        : string.Create(CultureInfo.InvariantCulture, $"    {evidence.Metric} = {evidence.Current}, threshold {evidence.Threshold} (n = {evidence.SampleSize})"));
    foreach (var recommendation in insight.Recommendations.Take(2))
    {
        Console.WriteLine("    - " + recommendation);
    }
}

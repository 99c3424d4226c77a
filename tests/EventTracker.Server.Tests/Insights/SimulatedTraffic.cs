using System.Net.Http.Json;
using EventTracker.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Insights;

/// <summary>
/// Noisy minutes of API traffic on a fake clock, per service: response times, error share and volume as factors of a
/// steady normal; and the insights the server finds in it. Shared by the insight and alert tests.
/// </summary>
internal sealed class SimulatedTraffic
{
    private readonly HttpClient _client;
    private readonly FakeTimeProvider _time;
    private readonly Random _random;

    public SimulatedTraffic(HttpClient client, FakeTimeProvider time, int seed = 17)
    {
        _client = client;
        _time = time;
        _random = new Random(seed);
    }

    /// <summary>A minute of traffic: per service, response times × factor, error share, volume × factor (20 events at 1); then the clock moves a minute on.</summary>
    public async Task MinuteAsync(params (string Service, double Slower, double Errors, double Volume)[] services)
    {
        var events = new List<string>();
        foreach (var (service, slower, errors, volume) in services)
        {
            var count = (int)Math.Round(20 * volume * (0.85 + (0.3 * _random.NextDouble())));
            for (var i = 0; i < count; i++)
            {
                var ms = Math.Round(slower * 80 * (0.7 + (0.6 * _random.NextDouble())), 1);
                var status = _random.NextDouble() < errors ? 503 : 200;
                events.Add($$$"""{"eventName":"api-request","payload":{"serviceName":"{{{service}}}","responseTimeMs":{{{ms}}},"statusCode":{{{status}}}}}""");
            }
        }

        if (events.Count > 0)
        {
            await _client.TrackBatchAsync($$"""{"events":[{{string.Join(",", events)}}]}""");
        }

        _time.Advance(TimeSpan.FromMinutes(1));
    }

    /// <summary>An hour of steady checkout and catalog traffic (1 % errors).</summary>
    public async Task SteadyHourAsync()
    {
        for (var minute = 0; minute < 60; minute++)
        {
            await MinuteAsync(("checkout", 1.0, 0.01, 1.0), ("catalog", 1.0, 0.01, 1.0));
        }
    }

    /// <summary><c>GET /api/events/insights</c>, which evaluates first.</summary>
    public async Task<InsightsResponse> InsightsAsync(string query = "") =>
        (await _client.GetFromJsonAsync(EventTrackerRoutes.Insights + query, EventTrackerJsonContext.Default.InsightsResponse))!;
}

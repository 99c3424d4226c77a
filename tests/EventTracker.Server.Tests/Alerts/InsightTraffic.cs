using System.Globalization;
using System.Net.Http.Json;
using EventTracker.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests.Alerts;

/// <summary>Traffic that makes insights, as <c>InsightTests</c> sends it: minutes of noisy events on a fake clock, then a condition.</summary>
internal sealed class InsightTraffic(HttpClient client, FakeTimeProvider time)
{
    private readonly Random _random = new(17);

    public async Task SteadyHourAsync()
    {
        for (var minute = 0; minute < 60; minute++)
        {
            await MinuteAsync(("checkout", 1.0, 0.01), ("catalog", 1.0, 0.01));
        }
    }

    /// <summary>A minute of about 20 events per service: response times × <c>Slower</c>, a share of <c>Errors</c> (503); then the clock moves a minute on.</summary>
    public async Task MinuteAsync(params (string Service, double Slower, double Errors)[] services)
    {
        var events = new List<string>();
        foreach (var (service, slower, errors) in services)
        {
            var count = (int)Math.Round(20 * (0.85 + (0.3 * _random.NextDouble())));
            for (var i = 0; i < count; i++)
            {
                var ms = (slower * 80 * (0.7 + (0.6 * _random.NextDouble()))).ToString("0.0", CultureInfo.InvariantCulture);
                var status = _random.NextDouble() < errors ? 503 : 200;
                events.Add($$$"""{"eventName":"api-request","payload":{"serviceName":"{{{service}}}","responseTimeMs":{{{ms}}},"statusCode":{{{status}}}}}""");
            }
        }

        await client.TrackBatchAsync($$"""{"events":[{{string.Join(",", events)}}]}""");
        time.Advance(TimeSpan.FromMinutes(1));
    }

    /// <summary><c>GET /api/events/insights</c>, which evaluates first.</summary>
    public async Task<InsightsResponse> InsightsAsync() =>
        (await client.GetFromJsonAsync(EventTrackerRoutes.Insights, EventTrackerJsonContext.Default.InsightsResponse))!;
}

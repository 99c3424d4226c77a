using System.Globalization;

namespace EventTracker.Server.Tests.Postgres;

/// <summary>
/// Traffic that gives every analytics answer something to say, sent partly to one node and partly to the other: a slow
/// checkout whose errors spike in the last minutes, a quiet catalog, logins that work and then a burst of failed ones,
/// flows through a gateway that never finish, and a batch to each node. Event times are given relative to <c>now</c>
/// and kept at least two minutes away from the edges of the windows the answers use (5 and 10 minutes, 1 hour, 65 minutes).
/// </summary>
internal static class MultiNodeTraffic
{
    private const long Minute = 60_000;

    /// <summary>Sends the traffic; returns how many events it stored.</summary>
    public static async Task<long> SendAsync(HttpClient a, HttpClient b, long now)
    {
        var sent = 0L;
        async Task Track(string name, string service, long at, int status, double? responseTime = null, string? userId = null, string? correlationId = null)
        {
            var fields = new List<string>
            {
                $"\"serviceName\":\"{service}\"", $"\"statusCode\":{status}", $"\"timestamp\":{at.ToString(CultureInfo.InvariantCulture)}",
            };
            if (responseTime is { } ms)
            {
                fields.Add($"\"responseTimeMs\":{ms.ToString(CultureInfo.InvariantCulture)}");
            }

            if (correlationId is not null)
            {
                fields.Add($"\"correlationId\":\"{correlationId}\"");
            }

            // Every third event goes to B: both nodes write the same feed.
            await (sent % 3 == 2 ? b : a).TrackAsync(name, "{" + string.Join(",", fields) + "}", userId);
            sent++;
        }

        // 50 to 15 minutes ago (the baseline): checkout slow and failing one time in eight, catalog quick.
        for (var i = 0; i < 40; i++)
        {
            var at = now - (50 * Minute) + (i * 52_000);
            await Track("api-request", "checkout", at, i % 8 == 0 ? 500 : 200, 400 + (i * 25), $"u-{i % 5}");
            await Track("product-view", "catalog", at + 7_000, 200, 20 + (i % 7 * 9), $"u-{(i + 2) % 5}");
        }

        // Logins that work, 30 minutes ago: auth has a history, so the burst below is judged against it.
        for (var i = 0; i < 5; i++)
        {
            await Track("user-login", "auth", now - (30 * Minute) + (i * 10_000), 200, 55, $"u-{i}");
        }

        // 20 minutes ago: ten flows start at the gateway; half of them finish.
        for (var i = 0; i < 10; i++)
        {
            await Track("api-request-start", "gateway", now - (20 * Minute) + (i * 1_000), 200, null, null, $"flow-{i}");
            if (i % 2 == 0)
            {
                await Track("api-request-complete", "gateway", now - (20 * Minute) + (i * 1_000) + 300, 200, 35, null, $"flow-{i}");
            }
        }

        // The last 3 minutes up to 30 s ago: checkout errors one time in three, and logins fail in a burst.
        for (var i = 0; i < 20; i++)
        {
            await Track("api-request", "checkout", now - (3 * Minute) + (i * 7_500), i % 3 == 0 ? 503 : 200, 900 + (i * 30), $"u-{i % 5}");
        }

        for (var i = 0; i < 15; i++)
        {
            await Track("user-login", "auth", now - (3 * Minute) + (i * 9_000), i < 12 ? 401 : 200, 60, $"u-{i % 7}");
        }

        // A batch to each node.
        foreach (var (node, service, name) in new[] { (a, "search", "search-query"), (b, "web", "page-view") })
        {
            var items = Enumerable.Range(0, 10).Select(i => string.Create(CultureInfo.InvariantCulture,
                $$$"""{"eventName":"{{{name}}}","payload":{"serviceName":"{{{service}}}","statusCode":200,"responseTimeMs":{{{15 + i}}},"timestamp":{{{now - (40 * Minute) + (i * 60_000)}}},"userId":"u-{{{i % 4}}}"}}"""));
            var batch = await node.TrackBatchAsync($$"""{"batchId":"{{service}}-batch","events":[{{string.Join(",", items)}}]}""");
            Assert.Equal(10, batch.ProcessedCount);
            sent += 10;
        }

        return sent;
    }
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using EventTracker.Testing;

namespace EventTracker.Server.Tests;

/// <summary>The guide's curl examples, run as written (only the port differs) against the real server process.</summary>
public sealed class SeedCurlTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_curl_example_returns_the_documented_shape()
    {
        var single = await CurlJsonAsync("""curl -s -X POST -H "Content-Type: application/json" -H "X-User-Id: user-123" -d '{"userAgent":"Mozilla/5.0...","referrer":"https://previous-page.com","sessionId":"session-abc123","userRole":"premium-user","correlationId":"user-journey-123","statusCode":200,"responseTimeMs":150,"serviceName":"payment-service","metadata":{"feature":"authentication","version":"2.1.0","customField":"value"}}' http://localhost:3000/api/events/track/user-login""");
        Assert.True(single["success"]!.GetValue<bool>());
        Assert.NotNull(single["eventId"]);
        Assert.IsType<JsonArray>(single["suggestions"]);

        var batch = await CurlJsonAsync("""curl -s -X POST -H "Content-Type: application/json" -d '{"batchId":"batch-xyz789","events":[{"eventName":"page-view","payload":{"serviceName":"web-analytics","sessionId":"session-123","metadata":{"page":"/dashboard","loadTime":1200}}},{"eventName":"api-call","payload":{"serviceName":"api-gateway","statusCode":200,"responseTimeMs":85,"correlationId":"req-456"}}]}' http://localhost:3000/api/events/track/batch""");
        Assert.Equal(2, batch["processedCount"]!.GetValue<int>());
        Assert.Equal("batch-xyz789", batch["batchId"]!.GetValue<string>());

        var recent = await CurlJsonAsync("""curl "http://localhost:3000/api/events?limit=1000&from=2025-08-27T00:00:00Z" """);
        Assert.Equal(3, recent["events"]!.AsArray().Count);
        Assert.Equal(3, recent["total"]!.GetValue<int>());
        Assert.Equal(3, recent["filtered"]!.GetValue<int>());
        Assert.Equal("2025-08-27T00:00:00.000Z", recent["timeRange"]!["from"]!.GetValue<string>());

        var service = await CurlJsonAsync("""curl "http://localhost:3000/api/events?serviceName=payment-service&limit=500" """);
        var stored = Assert.Single(service["events"]!.AsArray())!;
        Assert.Equal(["id", "name", "userId", "serviceName", "payload", "timestamp"], stored.AsObject().Select(p => p.Key));
        Assert.Equal("user-123", stored["userId"]!.GetValue<string>());

        var journey = await CurlJsonAsync("""curl "http://localhost:3000/api/events?correlationId=user-journey-123" """);
        Assert.Equal(["payment-service"], journey["services"]!.AsArray().Select(s => s!.GetValue<string>()));

        var services = await CurlJsonAsync("""curl "http://localhost:3000/api/events/services" """);
        Assert.Equal(3, services["summary"]!["totalServices"]!.GetValue<int>());
        Assert.All(services["services"]!.AsArray(), s => Assert.NotNull(s!["topEvents"]));

        var statistics = await CurlJsonAsync("""curl "http://localhost:3000/api/events/statistics" """);
        Assert.Equal(3, statistics["totalEventCount"]!.GetValue<int>());
        Assert.NotNull(statistics["perDay"]);
        Assert.NotNull(statistics["serviceBreakdown"]);

        var suggestions = await CurlJsonAsync("""curl "http://localhost:3000/api/events/suggestions?serviceName=payment-service" """);
        Assert.Equal("last-24h", suggestions["context"]!["timeRange"]!.GetValue<string>());

        var cors = await CurlJsonAsync("""curl -s -X POST -H "Content-Type: application/json" -H "Origin: http://localhost:3000" -d '{"serviceName":"test","metadata":{"test":true}}' http://localhost:3000/api/events/track/test-event""");
        Assert.True(cors["success"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_preflight_example_succeeds_with_the_documented_headers()
    {
        var output = await CurlAsync("""curl -X OPTIONS -H "Origin: http://localhost:3000" -H "Access-Control-Request-Method: POST" -H "Access-Control-Request-Headers: Content-Type" -v http://localhost:3000/api/events/track/test-event""");

        Assert.Contains("< HTTP/1.1 200 OK", output, StringComparison.Ordinal);
        Assert.Contains("< Access-Control-Allow-Origin: *", output, StringComparison.Ordinal);
        Assert.Contains("< Access-Control-Allow-Methods: GET, POST, PUT, DELETE, OPTIONS, PATCH", output, StringComparison.Ordinal);
        Assert.Contains("< Access-Control-Max-Age: 86400", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_with_413()
    {
        var output = await CurlAsync("""head -c 1100000 /dev/zero | tr '\0' 'a' | sed 's/^/{"metadata":{"x":"/; s/$/"}}/' | curl -s -X POST -H "Transfer-Encoding: chunked" -H "Content-Type: application/json" --data-binary @- -w '\n%{http_code}' http://localhost:3000/api/events/track/too-big""");

        Assert.EndsWith("413", output.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("\"body\"", output, StringComparison.Ordinal);
    }

    private async Task<JsonNode> CurlJsonAsync(string command)
    {
        var (stdout, _) = await RunAsync(command);
        return JsonNode.Parse(stdout) ?? throw new InvalidOperationException("curl printed no JSON: " + stdout);
    }

    /// <summary>What the command printed, standard output then standard error (where curl -v writes headers).</summary>
    private async Task<string> CurlAsync(string command)
    {
        var (stdout, stderr) = await RunAsync(command);
        return stdout + stderr;
    }

    private async Task<(string Stdout, string Stderr)> RunAsync(string command)
    {
        var info = new ProcessStartInfo("bash", ["-c", command.Replace("localhost:3000/", $"localhost:{_server.Port}/", StringComparison.Ordinal)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"curl failed ({process.ExitCode}): {await stderr}");
        return (await stdout, await stderr);
    }
}

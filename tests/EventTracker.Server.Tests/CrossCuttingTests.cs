using System.Net;
using System.Text.Json.Nodes;

namespace EventTracker.Server.Tests;

public sealed class CrossCuttingTests
{
    [Fact]
    public async Task Every_response_carries_the_documented_cors_headers()
    {
        await using var factory = new TestServerFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Add("Origin", "http://localhost:3000");

        using var response = await client.SendAsync(request);

        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("GET, POST, PUT, DELETE, OPTIONS, PATCH", Header(response, "Access-Control-Allow-Methods"));
        Assert.StartsWith(
            "Content-Type, Authorization, X-Requested-With, X-Monitor-Request, X-User-Id, X-Session-Id, X-Correlation-Id, Accept, Origin, User-Agent, Referer",
            Header(response, "Access-Control-Allow-Headers"), StringComparison.Ordinal);
        Assert.Equal("false", Header(response, "Access-Control-Allow-Credentials"));
        Assert.Equal("86400", Header(response, "Access-Control-Max-Age"));
        Assert.Equal("Origin", Header(response, "Vary"));
    }

    [Fact]
    public async Task Preflights_succeed_with_200_and_store_nothing()
    {
        await using var factory = new TestServerFactory();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/events/track/test-event");
        request.Headers.Add("Origin", "http://localhost:3000");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal(0, (await client.GetEventsAsync()).Total);
    }

    [Theory]
    [InlineData("https://app.example.com", "https://app.example.com")]
    [InlineData("https://other.example.com", null)]
    public async Task Allowed_origins_restrict_which_origin_is_echoed(string origin, string? expected)
    {
        await using var factory = new TestServerFactory(new Dictionary<string, string?> { ["ALLOWED_ORIGINS"] = "https://yourdomain.com, https://app.example.com" });
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Add("Origin", origin);

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null);
    }

    [Fact]
    public async Task The_body_limit_is_configurable()
    {
        await using var factory = new TestServerFactory(new Dictionary<string, string?> { ["EventTracker:Ingestion:MaxRequestBodyBytes"] = "2048" });
        using var client = factory.CreateClient();

        using var small = await client.PostAsync("/api/events/track/a", new StringContent(PayloadOfSize(2000)));
        using var large = await client.PostAsync("/api/events/track/a", new StringContent(PayloadOfSize(2049)));

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_answer_with_problem_details()
    {
        await using var factory = new TestServerFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        await using var factory = new TestServerFactory();
        using var client = factory.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/events/track/{eventName}", paths);
        Assert.Contains("/api/events/track/batch", paths);
        Assert.Contains("/api/events", paths);
        Assert.Contains("/api/events/services", paths);
        Assert.Contains("/api/events/statistics", paths);
        Assert.Contains("/api/events/suggestions", paths);
    }

    [Fact]
    public async Task Health_is_reported()
    {
        await using var factory = new TestServerFactory();
        using var client = factory.CreateClient();

        Assert.Equal("Healthy", await client.GetStringAsync("/healthz"));
    }

    private static string PayloadOfSize(int bytes)
    {
        const string template = "{\"metadata\":{\"x\":\"\"}}";
        return template.Insert(template.Length - 3, new string('x', bytes - template.Length));
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;
}

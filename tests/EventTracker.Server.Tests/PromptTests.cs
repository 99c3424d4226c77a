using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using EventTracker.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

public sealed partial class PromptTests : IDisposable
{
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero)));
    private readonly HttpClient _client;

    public PromptTests() => _client = _factory.CreateClient();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("performance")]
    [InlineData("user-behavior")]
    [InlineData("business")]
    [InlineData("security")]
    public async Task Every_prompt_comes_with_the_system_prompt_and_no_placeholder_left(string kind)
    {
        await SeedAsync();

        var prompt = await GetAsync(kind, "");

        Assert.Equal(kind, prompt.Kind);
        Assert.StartsWith("You are an AI assistant specialized in analyzing user behavior", prompt.SystemPrompt, StringComparison.Ordinal);
        Assert.DoesNotMatch(Placeholder(), prompt.Prompt);
        Assert.All(prompt.Values, v => Assert.Contains(v.Value, prompt.Prompt, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_numbers_are_those_of_the_scope()
    {
        await SeedAsync();

        var performance = await GetAsync("performance", "?serviceName=checkout&from=1h");
        var security = await GetAsync("security", "");
        var behaviour = await GetAsync("user-behavior", "");

        Assert.Equal("checkout", performance.Values["serviceNames"]);
        Assert.Equal("25", performance.Values["errorRate"]);
        Assert.Equal("300", performance.Values["avgResponseTime"]);
        Assert.Equal("8", performance.Values["requestCount"]);
        Assert.Contains("Current error rate: 25%", performance.Prompt, StringComparison.Ordinal);
        Assert.Equal("3 of 4 login events", security.Values["failedLogins"]);
        Assert.Contains("user-login (3 errors)", security.Values["errorEvents"], StringComparison.Ordinal);
        Assert.Equal("median 2 min 0 s over 2 sessions", behaviour.Values["sessionDuration"]);
        Assert.StartsWith("test-agent/1.0", behaviour.Values["userAgent"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/ai/prompts/poetry", "kind")]
    [InlineData("/api/ai/prompts/performance?from=soon", "from")]
    [InlineData("/api/ai/prompts/security?serviceName=%00", "serviceName")]
    public async Task Bad_requests_name_what_is_wrong(string path, string field)
    {
        using var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task SeedAsync()
    {
        var time = _factory.Time!;
        for (var i = 0; i < 8; i++)
        {
            await _client.TrackAsync("api-request", $$"""{"serviceName":"checkout","responseTimeMs":{{(i % 4 == 0 ? 900 : 100)}},"statusCode":{{(i % 4 == 0 ? 500 : 200)}},"sessionId":"s-{{i % 2}}","userAgent":"test-agent/1.0"}""");
            time.Advance(TimeSpan.FromSeconds(i < 7 ? 20 : 0));
        }

        for (var i = 0; i < 4; i++)
        {
            await _client.TrackAsync("user-login", $$"""{"serviceName":"auth","statusCode":{{(i < 3 ? 401 : 200)}}}""");
        }
    }

    private async Task<AnalysisPromptResponse> GetAsync(string kind, string query) =>
        (await _client.GetFromJsonAsync("/api/ai/prompts/" + kind + query, EventTrackerJsonContext.Default.AnalysisPromptResponse))!;

    [GeneratedRegex(@"\{[a-zA-Z]+\}")]
    private static partial Regex Placeholder();
}

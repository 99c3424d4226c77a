using Microsoft.Extensions.Time.Testing;

namespace EventTracker.Server.Tests;

public sealed class SuggestionTests : IDisposable
{
    private readonly TestServerFactory _factory = new(time: new FakeTimeProvider(new DateTimeOffset(2025, 8, 27, 10, 0, 0, TimeSpan.Zero)));
    private readonly HttpClient _client;

    public SuggestionTests() => _client = _factory.CreateClient();

    private FakeTimeProvider Time => _factory.Time!;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_slow_service_gets_a_performance_suggestion_with_its_basis()
    {
        for (var i = 0; i < 25; i++)
        {
            await _client.TrackAsync("api-call", """{"serviceName":"payment-service","responseTimeMs":400}""");
            await _client.TrackAsync("api-call", """{"serviceName":"search-service","responseTimeMs":20}""");
        }

        Time.Advance(TimeSpan.FromSeconds(10));
        var response = await _client.GetSuggestionsAsync("?serviceName=payment-service");

        var suggestion = Assert.Single(response.Suggestions);
        Assert.Equal("sug-slow-payment-service", suggestion.Id);
        Assert.Contains("payment-service", suggestion.Description, StringComparison.Ordinal);
        Assert.Contains("performance", suggestion.Tags!);
        Assert.Equal(25, suggestion.BasedOn!.SampleSize);
        Assert.InRange(suggestion.BasedOn.Confidence, 0.5, 1);
        Assert.InRange(suggestion.Score!.Value, 0.5, 1);
        Assert.Equal("GET", suggestion.Action!.Method);
        Assert.Equal("payment-service", response.Context.ServiceName);
        Assert.Equal("last-24h", response.Context.TimeRange);
        Assert.Equal(25, response.Context.TotalEvents);
        Assert.Empty((await _client.GetSuggestionsAsync("?serviceName=search-service")).Suggestions);
    }

    [Fact]
    public async Task Track_responses_carry_the_suggestions_of_the_event_service_only()
    {
        for (var i = 0; i < 25; i++)
        {
            await _client.TrackAsync("api-call", """{"serviceName":"payment-service","responseTimeMs":2000}""");
        }

        Time.Advance(TimeSpan.FromSeconds(10));
        var payment = await _client.TrackAsync("api-call", """{"serviceName":"payment-service","responseTimeMs":2000}""");
        var other = await _client.TrackAsync("page-view", """{"serviceName":"web-analytics"}""");
        var batch = await _client.TrackBatchAsync("""{"events":[{"eventName":"x","payload":{"serviceName":"payment-service"}}]}""");

        Assert.Equal("sug-slow-payment-service", Assert.Single(payment.Suggestions).Id);
        Assert.Empty(other.Suggestions);
        Assert.Equal("sug-slow-payment-service", Assert.Single(batch.Suggestions).Id);
    }

    [Fact]
    public async Task A_batch_is_answered_with_the_suggestions_its_own_events_lead_to_and_counted_at_once()
    {
        var events = string.Join(",", Enumerable.Range(0, 60).Select(i =>
            $$$"""{"eventName":"checkout","payload":{"serviceName":"brand-new-service","responseTimeMs":2400,"statusCode":{{{(i % 2 == 0 ? 503 : 200)}}}}}"""));

        Assert.Empty((await _client.GetSuggestionsAsync()).Suggestions); // whatever was computed before must not stick
        var batch = await _client.TrackBatchAsync($$"""{"events":[{{events}}]}""");
        var suggestions = await _client.GetSuggestionsAsync("?serviceName=brand-new-service");

        Assert.Equal(["sug-errors-brand-new-service", "sug-slow-brand-new-service"], batch.Suggestions.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.Equal(60, suggestions.Context.TotalEvents);
        Assert.Equal(2, suggestions.Suggestions.Count);
    }

    [Fact]
    public async Task The_window_slides_so_events_older_than_it_stop_counting()
    {
        for (var i = 0; i < 25; i++)
        {
            await _client.TrackAsync("api-call", """{"serviceName":"payment-service","responseTimeMs":2000}""");
        }

        Assert.Equal(25, (await _client.GetSuggestionsAsync("?serviceName=payment-service")).Context.TotalEvents);
        Time.Advance(TimeSpan.FromHours(12));
        await _client.TrackAsync("api-call", """{"serviceName":"payment-service","responseTimeMs":20}""");
        Assert.Equal(26, (await _client.GetSuggestionsAsync("?serviceName=payment-service")).Context.TotalEvents);

        Time.Advance(TimeSpan.FromHours(12) + TimeSpan.FromMinutes(2));
        var later = await _client.GetSuggestionsAsync("?serviceName=payment-service");

        Assert.Equal(1, later.Context.TotalEvents);
        Assert.Empty(later.Suggestions);
        Assert.Empty((await _client.TrackAsync("api-call", """{"serviceName":"payment-service","responseTimeMs":20}""")).Suggestions);
    }

    [Fact]
    public async Task A_high_error_rate_is_reported()
    {
        for (var i = 0; i < 25; i++)
        {
            await _client.TrackAsync("api-call", $$"""{"serviceName":"user-service","statusCode":{{(i < 5 ? 500 : 200)}}}""");
        }

        Time.Advance(TimeSpan.FromSeconds(10));
        var suggestion = Assert.Single((await _client.GetSuggestionsAsync()).Suggestions);

        Assert.Equal("sug-errors-user-service", suggestion.Id);
        Assert.Contains("20%", suggestion.Description, StringComparison.Ordinal);
        Assert.Equal(25, suggestion.BasedOn!.SampleSize);
    }

    [Fact]
    public async Task An_error_spike_is_measured_against_the_service_baseline()
    {
        for (var i = 0; i < 100; i++)
        {
            await _client.TrackAsync("api-call", $$"""{"serviceName":"api-gateway","statusCode":{{(i < 3 ? 500 : 200)}}}""");
        }

        Time.Advance(TimeSpan.FromMinutes(30));
        var before = await _client.GetSuggestionsAsync();
        for (var i = 0; i < 20; i++)
        {
            await _client.TrackAsync("api-call", $$"""{"serviceName":"api-gateway","statusCode":{{(i < 8 ? 503 : 200)}}}""");
        }

        Time.Advance(TimeSpan.FromSeconds(10));
        var after = await _client.GetSuggestionsAsync();

        Assert.DoesNotContain(before.Suggestions, s => s.Id == "sug-spike-api-gateway");
        var spike = Assert.Single(after.Suggestions, s => s.Id == "sug-spike-api-gateway");
        Assert.Contains("40%", spike.Description, StringComparison.Ordinal);
        Assert.Contains("3%", spike.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Correlation_chains_that_start_and_never_finish_are_reported_until_they_finish()
    {
        for (var i = 0; i < 4; i++)
        {
            await _client.TrackAsync("api-request-start", $$"""{"serviceName":"api-gateway","correlationId":"c{{i}}"}""");
        }

        await _client.TrackAsync("api-request-success", """{"serviceName":"api-gateway","correlationId":"c3"}""");
        var tooEarly = await _client.GetSuggestionsAsync();
        Time.Advance(TimeSpan.FromSeconds(31));

        var open = Assert.Single((await _client.GetSuggestionsAsync()).Suggestions);
        await _client.TrackAsync("api-request-error", """{"serviceName":"api-gateway","correlationId":"c0"}""");
        Time.Advance(TimeSpan.FromSeconds(10));
        var afterOneFinished = await _client.GetSuggestionsAsync();

        Assert.Empty(tooEarly.Suggestions);
        Assert.Equal("sug-chains-api-gateway", open.Id);
        Assert.StartsWith("3 api-gateway flows started with 'api-request-start'", open.Description, StringComparison.Ordinal);
        Assert.Equal(3, open.BasedOn!.SampleSize);
        Assert.Empty(afterOneFinished.Suggestions); // 2 open chains are below the threshold of 3
    }

    [Fact]
    public async Task A_burst_of_failed_logins_is_a_security_suggestion()
    {
        for (var i = 0; i < 6; i++)
        {
            await _client.TrackAsync("user-login-failed", """{"serviceName":"user-service"}""");
            await _client.TrackAsync("user-login", """{"serviceName":"user-service","statusCode":401}""");
        }

        for (var i = 0; i < 40; i++)
        {
            await _client.TrackAsync("user-login", """{"serviceName":"user-service","statusCode":200}""");
        }

        Time.Advance(TimeSpan.FromSeconds(10));
        var suggestions = (await _client.GetSuggestionsAsync("?eventName=user-login")).Suggestions;

        var burst = Assert.Single(suggestions, s => s.Id == "sug-logins-user-service");
        Assert.StartsWith("12 failed logins", burst.Description, StringComparison.Ordinal);
        Assert.Contains("security", burst.Tags!);
        Assert.Equal(52, burst.BasedOn!.SampleSize);
    }

    [Fact]
    public async Task Suggestions_can_be_scoped_to_a_user_and_limited()
    {
        for (var i = 0; i < 25; i++)
        {
            await _client.TrackAsync("api-call", """{"serviceName":"slow-a","responseTimeMs":900,"statusCode":500}""", userId: "alice");
            await _client.TrackAsync("api-call", """{"serviceName":"slow-b","responseTimeMs":900}""", userId: "bob");
        }

        Time.Advance(TimeSpan.FromSeconds(10));
        var alice = await _client.GetSuggestionsAsync("?userId=alice");
        var limited = await _client.GetSuggestionsAsync("?limit=1");

        Assert.Equal(["sug-errors-slow-a", "sug-slow-slow-a"], alice.Suggestions.Select(s => s.Id).Order());
        Assert.Equal(25, alice.Context.TotalEvents);
        Assert.Single(limited.Suggestions);
        Assert.Equal(3, (await _client.GetSuggestionsAsync()).Suggestions.Count);
    }

    [Fact]
    public async Task Every_suggestion_action_link_resolves()
    {
        for (var i = 0; i < 25; i++)
        {
            await _client.TrackAsync("user-login-failed", """{"serviceName":"auth service","responseTimeMs":5000,"statusCode":500,"correlationId":"x"}""");
            await _client.TrackAsync("checkout-started", $$"""{"serviceName":"auth service","correlationId":"k{{i}}"}""");
        }

        Time.Advance(TimeSpan.FromMinutes(1));
        var suggestions = (await _client.GetSuggestionsAsync()).Suggestions;

        Assert.Equal(4, suggestions.Count);
        foreach (var suggestion in suggestions)
        {
            using var response = await _client.GetAsync(suggestion.Action!.Href);
            Assert.True(response.IsSuccessStatusCode, $"{suggestion.Action.Href} answered {response.StatusCode}");
        }
    }
}

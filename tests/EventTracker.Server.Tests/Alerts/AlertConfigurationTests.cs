using static EventTracker.Server.Tests.Alerts.AlertSettings;

namespace EventTracker.Server.Tests.Alerts;

/// <summary>A bad webhook configuration stops the server at start, with a message naming the setting.</summary>
public sealed class AlertConfigurationTests
{
    [Theory]
    [InlineData("EventTracker:Alerts:Webhooks:0:Url", "hooks.example/no-scheme", "EventTracker:Alerts:Webhooks:0:Url")]
    [InlineData("EventTracker:Alerts:Webhooks:0:Url", "ftp://hooks.example/x", "EventTracker:Alerts:Webhooks:0:Url")]
    [InlineData("EventTracker:Alerts:Webhooks:0:Types:0", "weather", "EventTracker:Alerts:Webhooks:0:Types")]
    [InlineData("EventTracker:Alerts:Webhooks:0:MinPriority", "1.5", "EventTracker:Alerts:Webhooks:0:MinPriority")]
    [InlineData("EventTracker:Alerts:Webhooks:0:Secret", "whsec_not base64!", "EventTracker:Alerts:Webhooks:0:Secret")]
    [InlineData("EventTracker:Alerts:Webhooks:0:Name", " ", "EventTracker:Alerts:Webhooks:0:Name")]
    [InlineData("EventTracker:Alerts:Webhooks:1:Name", "OPS", "EventTracker:Alerts:Webhooks must have distinct names")]
    [InlineData("EventTracker:Alerts:MaxAttempts", "0", "MaxAttempts")]
    public void A_bad_setting_fails_start_up_naming_it(string key, string value, string named)
    {
        var settings = With(Hook("ops", "https://hooks.example/services/T0/B0/x"));
        if (key.StartsWith("EventTracker:Alerts:Webhooks:1:", StringComparison.Ordinal))
        {
            settings["EventTracker:Alerts:Webhooks:1:Url"] = "https://hooks.example/other";
        }

        settings[key] = value;
        using var server = new TestServerFactory(settings);

        var refusal = Assert.ThrowsAny<Exception>(() => server.CreateClient());

        Assert.Contains(named, Messages(refusal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_good_configuration_starts_and_is_listed_without_secrets()
    {
        var settings = With(
            Hook("slack", "https://user:password@hooks.example/services/T0/B0/secret-part?x=1", "whsec_" + Convert.ToBase64String(new byte[24]), ["security", "reliability"], 0.5),
            Hook("teams", "http://127.0.0.1:9/hook", "any plain secret"),
            Hook("unsigned", "http://127.0.0.1:9/other"));
        await using var server = new TestServerFactory(settings);
        using var client = server.CreateClient();

        var webhooks = (await InsightAlertTests.AlertsAsync(client)).GetProperty("webhooks").EnumerateArray().ToList();

        Assert.Equal(["slack", "teams", "unsigned"], webhooks.Select(w => w.GetProperty("name").GetString()));
        Assert.Equal(["https://hooks.example/services/…", "http://127.0.0.1:9/hook", "http://127.0.0.1:9/other"], webhooks.Select(w => w.GetProperty("url").GetString()));
        Assert.Equal([true, true, false], webhooks.Select(w => w.GetProperty("signed").GetBoolean()));
        Assert.Equal(["reliability", "security"], webhooks[0].GetProperty("types").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0.5, webhooks[0].GetProperty("minPriority").GetDouble());
        Assert.DoesNotContain("whsec_", webhooks[0].GetRawText(), StringComparison.Ordinal);
    }

    private static string Messages(Exception? e)
    {
        var messages = new List<string>();
        for (; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(inner => inner.Message));
            }
        }

        return string.Join("\n", messages);
    }
}

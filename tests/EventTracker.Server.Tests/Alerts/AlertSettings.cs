namespace EventTracker.Server.Tests.Alerts;

/// <summary>Server settings for alert tests: webhooks as configuration keys, and short retry delays on the real clock.</summary>
internal static class AlertSettings
{
    public static Webhook Hook(string name, string url, string? secret = null, string[]? types = null, double? minPriority = null) =>
        new(name, url, secret, types, minPriority);

    public static Dictionary<string, string?> With(params Webhook[] webhooks)
    {
        var settings = new Dictionary<string, string?>
        {
            ["EventTracker:Alerts:RetryBaseDelay"] = "00:00:00.010",
            // A fake clock moved by minutes must not time out an attempt that is on its way over a real socket.
            ["EventTracker:Alerts:AttemptTimeout"] = "01:00:00",
        };
        for (var i = 0; i < webhooks.Length; i++)
        {
            var (name, url, secret, types, minPriority) = webhooks[i];
            var prefix = $"EventTracker:Alerts:Webhooks:{i}:";
            settings[prefix + "Name"] = name;
            settings[prefix + "Url"] = url;
            if (secret is not null)
            {
                settings[prefix + "Secret"] = secret;
            }

            if (minPriority is not null)
            {
                settings[prefix + "MinPriority"] = minPriority.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            for (var t = 0; t < (types?.Length ?? 0); t++)
            {
                settings[$"{prefix}Types:{t}"] = types![t];
            }
        }

        return settings;
    }

    internal sealed record Webhook(string Name, string Url, string? Secret = null, string[]? Types = null, double? MinPriority = null);
}

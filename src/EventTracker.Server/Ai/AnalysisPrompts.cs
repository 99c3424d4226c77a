using System.Globalization;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using EventTracker.Server.Storage;

namespace EventTracker.Server.Ai;

/// <summary>
/// The guide's four analysis prompts with their placeholders filled from the held events of a scope (a service or
/// all, a time range): the one builder behind <c>GET /api/ai/prompts/{kind}</c> and the MCP prompts. A value the
/// events cannot give (a user's role) says so instead of being made up.
/// </summary>
internal sealed class AnalysisPrompts
{
    /// <summary>The kinds, as the REST route names them.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["performance", "user-behavior", "business", "security"];

    // Sessions and user agents come from the events themselves; the newest this many in scope are read.
    private const int MaxEventsRead = 50_000;

    private readonly ServiceAnalytics _analytics;
    private readonly AnalyticsProjection _projection;
    private readonly SuggestionEngine _suggestions;
    private readonly IEventStore _store;
    private readonly TimeProvider _time;

    public AnalysisPrompts(ServiceAnalytics analytics, AnalyticsProjection projection, SuggestionEngine suggestions, IEventStore store, TimeProvider time)
    {
        _analytics = analytics;
        _projection = projection;
        _suggestions = suggestions;
        _store = store;
        _time = time;
    }

    /// <summary>The prompt of <paramref name="kind"/> (one of <see cref="Kinds"/>) for the scope, with the values used.</summary>
    public async ValueTask<AnalysisPromptResponse> BuildAsync(string kind, string? serviceName, long? from, long? to, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var start = from ?? now.AddHours(-24).ToUnixTimeMilliseconds();
        var end = to ?? now.ToUnixTimeMilliseconds();
        var services = await _analytics.GetServicesAsync(new EventFilter { ServiceName = serviceName }, start, end, cancellationToken);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["timeRange"] = $"{Iso(start)} to {Iso(end)}" + (from is null && to is null ? " (the last 24 hours)" : string.Empty),
        };
        var template = kind switch
        {
            "performance" => Performance(services, values),
            "user-behavior" => UserBehavior(services, await ReadPeopleAsync(serviceName, start, end, cancellationToken), values),
            "business" => Business(services, await ReadPeopleAsync(serviceName, start, end, cancellationToken), values),
            "security" => Security(serviceName, start, end, await FindingsAsync(serviceName, cancellationToken), values),
            _ => throw new ArgumentException($"Unknown prompt kind '{kind}'.", nameof(kind)),
        };
        return new AnalysisPromptResponse
        {
            Kind = kind,
            ServiceName = serviceName,
            SystemPrompt = PromptTemplates.System,
            Prompt = values.Aggregate(template, (text, value) => text.Replace("{" + value.Key + "}", value.Value, StringComparison.Ordinal)),
            Values = values,
        };
    }

    private static string Performance(ServicesResponse services, Dictionary<string, string> values)
    {
        values["serviceNames"] = List(services.Services.Select(s => s.ServiceName), "no services with events in this range");
        values["errorRate"] = Number(services.Summary.OverallErrorRate);
        values["avgResponseTime"] = services.Summary.AvgResponseTime is { } avg ? Number(avg) : "n/a (no event carried a response time)";
        values["requestCount"] = services.Summary.TotalEvents.ToString(CultureInfo.InvariantCulture);
        return PromptTemplates.Performance;
    }

    private static string UserBehavior(ServicesResponse services, People people, Dictionary<string, string> values)
    {
        values["eventNames"] = List(TopNames(services).Select(n => n.EventName), "no events in this range");
        values["userRole"] = "all users (events carry no role)";
        values["sessionDuration"] = people.Sessions == 0
            ? "n/a (no event carried a session id)"
            : $"median {Duration(people.MedianSessionMs)} over {people.Sessions} sessions";
        values["userAgent"] = people.TopUserAgent is { } agent
            ? $"{agent} ({Number(100.0 * people.TopUserAgentCount / people.Read)} % of events)"
            : "n/a (no event carried a user agent)";
        return PromptTemplates.UserBehavior;
    }

    private static string Business(ServicesResponse services, People people, Dictionary<string, string> values)
    {
        values["eventTypes"] = List(TopNames(services).Select(n => $"{n.EventName} ({n.Count})"), "no events in this range");
        values["serviceStats"] = List(services.Services.Take(10).Select(s =>
            $"{s.ServiceName}: {s.EventCount} events, {Number(s.ErrorRate ?? 0)} % errors" + (s.P95ResponseTime is { } p95 ? $", p95 {Number(p95)} ms" : string.Empty)), "no services");
        values["userSegments"] = $"{people.Users} identified users, {people.Sessions} sessions, {people.Anonymous} events without a user"
            + (people.Read < people.InScope ? $" (from the newest {people.Read} of {people.InScope} events)" : string.Empty);
        return PromptTemplates.Business;
    }

    private async ValueTask<List<string>> FindingsAsync(string? serviceName, CancellationToken cancellationToken) =>
        (serviceName is null ? (await _suggestions.QueryAsync(null, null, null, 10, cancellationToken)).Suggestions : _suggestions.ForService(serviceName))
            .Select(s => s.Description ?? s.Title).ToList();

    private string Security(string? serviceName, long start, long end, List<string> findings, Dictionary<string, string> values)
    {
        var rollups = serviceName is null ? _projection.Summarize(start, end) : _projection.Summarize(start, end, serviceName);
        var names = rollups.Services.Values.SelectMany(s => s.Names).GroupBy(n => n.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Count: g.Sum(n => n.Value.Count), Errors: g.Sum(n => n.Value.Errors))).ToList();
        var logins = rollups.Services.Values.Select(s => s.LoginCounts()).ToList();
        values["failedLogins"] = $"{logins.Sum(l => l.Failed)} of {logins.Sum(l => l.Logins)} login events";
        values["anomalousEvents"] = List(findings, "none found by the rules (error spikes, failed-login bursts, slow or failing services, unfinished flows)");
        values["errorEvents"] = List(
            names.Where(n => n.Errors > 0).OrderByDescending(n => n.Errors).Take(10).Select(n => $"{n.Name} ({n.Errors} errors)"),
            "no errors in this range");
        return PromptTemplates.Security;
    }

    private static IEnumerable<EventCount> TopNames(ServicesResponse services) =>
        services.Services.SelectMany(s => s.TopEvents).GroupBy(e => e.EventName, StringComparer.Ordinal)
            .Select(g => new EventCount { EventName = g.Key, Count = g.Sum(e => e.Count) })
            .OrderByDescending(e => e.Count).ThenBy(e => e.EventName, StringComparer.Ordinal).Take(10);

    private async ValueTask<People> ReadPeopleAsync(string? serviceName, long start, long end, CancellationToken cancellationToken)
    {
        var filter = new EventFilter { ServiceName = serviceName };
        var sessions = new Dictionary<string, (long First, long Last)>(StringComparer.Ordinal);
        var users = new HashSet<string>(StringComparer.Ordinal);
        var agents = new Dictionary<string, int>(StringComparer.Ordinal);
        long anonymous = 0, read = 0, inScope = 0;
        EventPosition? before = null;
        do
        {
            var page = await _store.QueryAsync(filter, start, end, 1000, before, cancellationToken);
            inScope = page.Filtered;
            foreach (var e in page.Events)
            {
                read++;
                if (e.UserId is { } user)
                {
                    users.Add(user);
                }
                else
                {
                    anonymous++;
                }

                if (e.SessionId is { } session)
                {
                    sessions[session] = sessions.TryGetValue(session, out var span)
                        ? (Math.Min(span.First, e.Timestamp), Math.Max(span.Last, e.Timestamp))
                        : (e.Timestamp, e.Timestamp);
                }

                if (e.UserAgent is { } agent)
                {
                    agents[agent] = agents.GetValueOrDefault(agent) + 1;
                }
            }

            before = page.NextBefore;
        }
        while (before is not null && read < MaxEventsRead);

        var durations = sessions.Values.Select(s => s.Last - s.First).Order().ToList();
        var top = agents.OrderByDescending(a => a.Value).FirstOrDefault();
        return new People(users.Count, sessions.Count, durations.Count == 0 ? 0 : durations[durations.Count / 2], anonymous, read, inScope, top.Key, top.Value);
    }

    private static string List(IEnumerable<string> items, string none)
    {
        var text = string.Join(", ", items);
        return text.Length == 0 ? none : text;
    }

    private static string Number(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Duration(long ms) =>
        ms < 60_000 ? $"{ms / 1000.0:0.#} s" : ms < 3_600_000 ? $"{ms / 60_000} min {ms / 1000 % 60} s" : $"{ms / 3_600_000} h {ms / 60_000 % 60} min";

    private sealed record People(int Users, int Sessions, long MedianSessionMs, long Anonymous, long Read, long InScope, string? TopUserAgent, int TopUserAgentCount);
}

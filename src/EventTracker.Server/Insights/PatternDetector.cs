using System.Globalization;
using EventTracker.Contracts;
using EventTracker.Server.Analytics;
using static EventTracker.Server.Insights.InsightFormat;

namespace EventTracker.Server.Insights;

/// <summary>
/// Findings that are patterns rather than deviations from a baseline: one session acting for many users (security),
/// flows that start and never finish, and funnel steps most people leave (user experience). Reads the analytics
/// projection only.
/// </summary>
internal sealed class PatternDetector
{
    private readonly InsightOptions _options;

    public PatternDetector(InsightOptions options) => _options = options;

    public IEnumerable<Detection> Detect(AnalyticsProjection projection, long now)
    {
        var window = (long)_options.Window.TotalMilliseconds;
        var windowRange = Range(now - window, now);
        foreach (var (session, service, users) in projection.SourcesActingForManyUsers(now - window, _options.UsersPerSource))
        {
            yield return new Detection(
                $"security/usersPerSource/{session}", InsightTypes.Security, service,
                F($"One session acted for {users} users"),
                F($"Session {session} sent events for {users} different users in the last {Span(_options.Window)} ({service}). One source signing in as many accounts is typical of credential stuffing or shared accounts."),
                ["Look at the session's events (query_events with its sessionId) and the accounts it touched.",
                 "Block or challenge the source; force a password reset for accounts it signed in to.",
                 "Limit sign-ins per client (rate limits by session or address)."],
                Scoring.Severity(users, _options.UsersPerSource),
                Scoring.Confidence(users, users, _options.UsersPerSource),
                new InsightEvidence
                {
                    Metric = "usersPerSource", Window = windowRange, Current = users, Threshold = _options.UsersPerSource, SampleSize = users,
                    Details = new Dictionary<string, string> { ["sessionId"] = session },
                });
        }

        var unfinishedBefore = now - (long)_options.UnfinishedFlowAfter.TotalMilliseconds;
        foreach (var (service, chains) in projection.OpenChainsStartedBefore(unfinishedBefore))
        {
            if (chains.Count < _options.MinUnfinishedFlows)
            {
                continue;
            }

            yield return new Detection(
                $"user-experience/unfinishedFlows/{service}", InsightTypes.UserExperience, service,
                F($"{chains.Count} {service} flows started and never finished"),
                F($"{chains.Count} {service} flows (correlation ids) started with '{chains.ExampleStartName}' and recorded no success, completion or error within {_options.UnfinishedFlowAfter.TotalSeconds:0} s. The people behind them waited for an answer that never came, or the finishing event is not tracked."),
                ["Trace a few of them (trace_correlation) to see the last step they reached.",
                 "Look for timeouts and crashes in the step after it; make sure every outcome, failures included, is tracked."],
                Scoring.Severity(chains.Count, _options.MinUnfinishedFlows),
                Scoring.Confidence(chains.Count, chains.Count, _options.MinUnfinishedFlows),
                new InsightEvidence { Metric = "unfinishedFlows", Window = Range(chains.EarliestStart, unfinishedBefore), Current = chains.Count, Threshold = _options.MinUnfinishedFlows, SampleSize = chains.Count });
        }

        // Funnel steps over the baseline and the window, ending where a flow still counts as in progress.
        var from = now - ((_options.BaselineWindows + 1) * window);
        var to = now - (long)_options.UnfinishedFlowAfter.TotalMilliseconds;
        foreach (var service in projection.Summarize(from, to).Services.Values)
        {
            foreach (var (step, starts, completes) in Funnels(service))
            {
                var completion = 100.0 * completes / starts;
                if (starts < _options.MinSamples || completion > _options.FunnelCompletionPercent)
                {
                    continue;
                }

                var drop = 100 - completion;
                yield return new Detection(
                    $"user-experience/funnel/{service.ServiceName}/{step}", InsightTypes.UserExperience, service.ServiceName,
                    F($"{drop:0}% leave '{step}' in {service.ServiceName}"),
                    F($"{starts} '{step}' steps started in {service.ServiceName} and {completes} completed ({completion:0.#}%)."),
                    ["Find where people stop (the events that follow the start in their sessions) and what they saw last.",
                     "Shorten or simplify the step; check it for errors and slow responses on the devices people use."],
                    Scoring.Severity(drop, 100 - _options.FunnelCompletionPercent),
                    Scoring.Confidence(starts, drop, 100 - _options.FunnelCompletionPercent),
                    new InsightEvidence
                    {
                        Metric = "funnelCompletionPercent", Window = Range(from, to), Current = Math.Round(completion, 2), Threshold = _options.FunnelCompletionPercent, SampleSize = starts,
                        Details = new Dictionary<string, string> { ["started"] = starts.ToString(CultureInfo.InvariantCulture), ["completed"] = completes.ToString(CultureInfo.InvariantCulture) },
                    });
            }
        }
    }

    // Pairs x-start / x-complete (any of the start and end suffixes flows use) by the events' names.
    private static IEnumerable<(string Step, long Starts, long Completes)> Funnels(ServiceRollup service)
    {
        foreach (var (name, counts) in service.Names)
        {
            var start = CorrelationChainTracker.StartSuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));
            if (start is null)
            {
                continue;
            }

            var step = name[..^start.Length];
            var completes = CorrelationChainTracker.EndSuffixes.Sum(end => service.Names.GetValueOrDefault(step + end)?.Count ?? 0);
            yield return (step, counts.Count, completes);
        }
    }

}

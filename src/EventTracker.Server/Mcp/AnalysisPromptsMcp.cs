using System.ComponentModel;
using EventTracker.Server.Ai;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace EventTracker.Server.Mcp;

/// <summary>The guide's four analysis prompts as MCP prompts, filled with live numbers by <see cref="AnalysisPrompts"/>.</summary>
[McpServerPromptType]
internal sealed class AnalysisPromptsMcp
{
    private readonly AnalysisPrompts _prompts;
    private readonly TimeProvider _time;

    public AnalysisPromptsMcp(AnalysisPrompts prompts, TimeProvider time)
    {
        _prompts = prompts;
        _time = time;
    }

    [McpServerPrompt(Name = "performance_analysis")]
    [Description("Analyze API performance: the services, their error rate, average response time and request count.")]
    public Task<GetPromptResult> PerformanceAsync(
        [Description("Only this service; all when empty.")] string? serviceName = null,
        [Description("Start: ISO 8601, epoch ms, or a span back from now such as 24h (default 24h).")] string? from = null,
        [Description("End, in the same forms; now when empty.")] string? to = null,
        CancellationToken cancellationToken = default) =>
        FillAsync("performance", serviceName, from, to, cancellationToken);

    [McpServerPrompt(Name = "user_behavior_analysis")]
    [Description("Analyze user journeys: the most frequent events, session length and the most common user agent.")]
    public Task<GetPromptResult> UserBehaviorAsync(
        [Description("Only this service; all when empty.")] string? serviceName = null,
        [Description("Start: ISO 8601, epoch ms, or a span back from now such as 24h (default 24h).")] string? from = null,
        [Description("End, in the same forms; now when empty.")] string? to = null,
        CancellationToken cancellationToken = default) =>
        FillAsync("user-behavior", serviceName, from, to, cancellationToken);

    [McpServerPrompt(Name = "business_intelligence")]
    [Description("Generate business insights: event types, a per-service breakdown and user segments.")]
    public Task<GetPromptResult> BusinessAsync(
        [Description("Only this service; all when empty.")] string? serviceName = null,
        [Description("Start: ISO 8601, epoch ms, or a span back from now such as 24h (default 24h).")] string? from = null,
        [Description("End, in the same forms; now when empty.")] string? to = null,
        CancellationToken cancellationToken = default) =>
        FillAsync("business", serviceName, from, to, cancellationToken);

    [McpServerPrompt(Name = "security_analysis")]
    [Description("Analyze security: failed logins, anomalies the rules found, and error patterns.")]
    public Task<GetPromptResult> SecurityAsync(
        [Description("Only this service; all when empty.")] string? serviceName = null,
        [Description("Start: ISO 8601, epoch ms, or a span back from now such as 24h (default 24h).")] string? from = null,
        [Description("End, in the same forms; now when empty.")] string? to = null,
        CancellationToken cancellationToken = default) =>
        FillAsync("security", serviceName, from, to, cancellationToken);

    private async Task<GetPromptResult> FillAsync(string kind, string? serviceName, string? from, string? to, CancellationToken cancellationToken)
    {
        var service = string.IsNullOrEmpty(serviceName) ? null : ToolArguments.Identifier(serviceName, "serviceName");
        var (start, end) = ToolArguments.Range(from, to, _time.GetUtcNow());
        var prompt = await _prompts.BuildAsync(kind, service, start, end, cancellationToken);
        return new GetPromptResult
        {
            Description = $"The guide's {kind} analysis prompt, filled with the numbers of {service ?? "all services"}.",
            Messages =
            [
                new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = prompt.SystemPrompt + "\n\n" + prompt.Prompt } },
            ],
        };
    }
}

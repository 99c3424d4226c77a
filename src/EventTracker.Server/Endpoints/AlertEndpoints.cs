using System.Text.Json;
using EventTracker.Contracts;
using EventTracker.Server.Access;
using EventTracker.Server.Alerts;
using EventTracker.Server.Http;
using EventTracker.Server.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventTracker.Server.Endpoints;

/// <summary><c>GET /api/alerts</c>, the webhooks and how their messages went, and <c>POST /api/alerts/test</c>; both need the <c>admin</c> scope.</summary>
internal static class AlertEndpoints
{
    public static void MapAlertEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).WithTags("Alerts").RequireAuthorization(Scopes.Admin).RequireRateLimiting(ReadRateLimitPolicy.Name);
        group.MapGet(EventTrackerRoutes.Alerts, GetAlerts)
            .WithName("GetAlerts")
            .WithSummary("The alert webhooks (URL without user info, query or secret path), their filters, and their messages delivered, failed and dropped, with the last error.")
            .Produces<AlertsResponse>();
        group.MapPost(EventTrackerRoutes.AlertsTest, PostTest)
            .WithName("TestAlerts")
            .WithSummary("Queues an alert.test message for every webhook, or the one named by name (query or JSON body), through the same queue, retries and signing as insight alerts.")
            .Produces<AlertTestResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static JsonHttpResult<AlertsResponse> GetAlerts(AlertDispatcher alerts) =>
        TypedResults.Json(
            new AlertsResponse { Webhooks = alerts.Webhooks.Select(WebhookStatus.Of).ToList(), Queued = alerts.Queued },
            AlertsJsonContext.Default.AlertsResponse);

    private static async Task<IResult> PostTest(HttpRequest request, AlertDispatcher alerts, RequestBodyReader bodies, CancellationToken cancellationToken)
    {
        var name = request.Query["name"].ToString() is { Length: > 0 } inQuery ? inQuery : null;
        if (name is null && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            var (body, problem) = await bodies.ReadJsonAsync(request, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            try
            {
                name = body!.Length == 0 ? null : JsonSerializer.Deserialize(body, AlertsJsonContext.Default.AlertTestRequest)?.Name;
            }
            catch (JsonException e)
            {
                return Problems.BadRequest("body", $"Must be JSON such as {{\"name\":\"ops\"}}, or empty: {e.Message}");
            }
        }

        if (alerts.Webhooks.Count == 0)
        {
            return Problems.Conflict(AlertOptions.Section + ":Webhooks", "No webhooks are configured; add one under EventTracker:Alerts:Webhooks to send alerts.");
        }

        var targets = name is null ? alerts.Webhooks : alerts.Webhooks.Where(w => w.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (targets.Count == 0)
        {
            return Problems.NotFound("name", $"No webhook is named '{name}'; configured: {string.Join(", ", alerts.Webhooks.Select(w => w.Name))}.");
        }

        var queued = alerts.Test(targets).Select(d => new QueuedAlert(d.Webhook.Name, d.Id)).ToList();
        return TypedResults.Json(new AlertTestResponse { Queued = queued }, AlertsJsonContext.Default.AlertTestResponse, statusCode: StatusCodes.Status202Accepted);
    }
}

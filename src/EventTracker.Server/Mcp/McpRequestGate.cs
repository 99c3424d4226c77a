using System.Text.Json;
using EventTracker.Server.Ingestion;
using EventTracker.Server.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace EventTracker.Server.Mcp;

/// <summary>
/// Reads a <c>POST /mcp</c> body before the MCP SDK does and answers what the SDK would turn into an HTTP 500, a bare
/// −32603 or text rewritten with U+FFFD, as JSON-RPC errors that name the problem: a body that is not JSON (−32700,
/// with the same size, encoding and Unicode rules as ingestion), a media type other than JSON (−32600), and params that
/// do not fit their method (−32602, <see cref="McpParamsCheck"/>). What passes reaches the SDK as it came.
/// </summary>
internal sealed partial class McpRequestGate
{
    private readonly RequestDelegate _next;
    private readonly RequestBodyReader _reader;
    private readonly McpParamsCheck _check;
    private readonly ILogger<McpRequestGate> _logger;

    public McpRequestGate(RequestDelegate next, RequestBodyReader reader, McpParamsCheck check, ILogger<McpRequestGate> logger)
    {
        _next = next;
        _reader = reader;
        _check = check;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            await _next(context);
            return;
        }

        if (!IsJson(request.ContentType))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, null, JsonRpcError.InvalidRequest, "Content-Type must be application/json.");
            return;
        }

        var (body, problem) = await _reader.ReadAsync(request, context.RequestAborted);
        if (problem is not null)
        {
            var (status, detail) = problem is ProblemHttpResult p ? (p.StatusCode, p.ProblemDetails.Detail) : (StatusCodes.Status400BadRequest, null);
            var (code, kind) = status == StatusCodes.Status413PayloadTooLarge ? (JsonRpcError.InvalidRequest, "Invalid Request") : (JsonRpcError.ParseError, "Parse error");
            await RefuseAsync(context, status, null, code, $"{kind}: {detail ?? "the body could not be read."}");
            return;
        }

        var errors = new ValidationErrors();
        if (!JsonText.Validate(body, errors, root: "(the body)"))
        {
            var (field, messages) = errors.ToDictionary().First();
            await RefuseAsync(context, StatusCodes.Status400BadRequest, null, JsonRpcError.ParseError, $"Parse error: {field}: {string.Join(" ", messages)}");
            return;
        }

        JsonElement? id = null;
        using (var document = JsonDocument.Parse(body))
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String)
            {
                id = root.TryGetProperty("id", out var i) ? i.Clone() : null;
                var parameters = root.TryGetProperty("params", out var found) ? found : (JsonElement?)null;
                if (_check.Problem(method.GetString()!, parameters) is { } invalid)
                {
                    await RefuseAsync(context, StatusCodes.Status200OK, id, JsonRpcError.InvalidParams, "Invalid params: " + invalid);
                    return;
                }
            }
        }

        request.Body = new MemoryStream(body!, writable: false);
        request.ContentLength = body!.Length;
        try
        {
            await _next(context);
        }
        catch (JsonException e) when (!context.Response.HasStarted)
        {
            // A member deep inside params (initialize's capabilities) that the SDK could not bind and let escape.
            await RefuseAsync(context, StatusCodes.Status200OK, id, JsonRpcError.InvalidParams, $"Invalid params: 'params{e.Path?.TrimStart('$')}' does not fit the method.");
        }
    }

    private async Task RefuseAsync(HttpContext context, int status, JsonElement? id, int code, string message)
    {
        LogRefused(_logger, code, message);
        await JsonRpcError.WriteAsync(context.Response, status, id, code, message);
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    // Debug: a client that sends bad requests in a loop must not be able to fill the log.
    [LoggerMessage(Level = LogLevel.Debug, Message = "MCP request refused with {Code}: {Message}")]
    private static partial void LogRefused(ILogger logger, int code, string message);
}

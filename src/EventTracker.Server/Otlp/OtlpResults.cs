using EventTracker.Server.Otlp.Protocol;
using Google.Protobuf;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventTracker.Server.Otlp;

/// <summary>
/// Answers to OTLP export requests, in the encoding of the request. A refusal to a protobuf request is a
/// <c>google.rpc.Status</c> message, as the specification asks; to a JSON request it is our usual problem details,
/// which also carry the Status's <c>code</c> and <c>message</c>, so they read as one too.
/// </summary>
internal static class OtlpResults
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default);

    /// <summary>A success, with the partial success in <paramref name="response"/> when some records were rejected.</summary>
    public static IResult Success(IMessage response, OtlpEncoding encoding) => encoding == OtlpEncoding.Protobuf
        ? TypedResults.Bytes(response.ToByteArray(), OtlpEncodings.ProtobufMediaType)
        : TypedResults.Text(Formatter.Format(response), OtlpEncodings.JsonMediaType);

    /// <summary>A refusal; <c>Retry-After</c>, when the problem set it, stays on the response.</summary>
    public static IResult Refusal(ProblemHttpResult problem, OtlpEncoding encoding)
    {
        var status = new RpcStatus { Code = RpcCode(problem.StatusCode), Message = problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? string.Empty };
        if (encoding == OtlpEncoding.Protobuf)
        {
            return new OtlpStatusResult(problem.StatusCode, status.ToByteArray());
        }

        problem.ProblemDetails.Extensions["code"] = status.Code;
        problem.ProblemDetails.Extensions["message"] = status.Message;
        return problem;
    }

    // The gRPC status code that says the same as the HTTP status.
    private static int RpcCode(int httpStatus) => httpStatus switch
    {
        StatusCodes.Status401Unauthorized => 16, // UNAUTHENTICATED
        StatusCodes.Status403Forbidden => 7, // PERMISSION_DENIED
        StatusCodes.Status413PayloadTooLarge or StatusCodes.Status429TooManyRequests => 8, // RESOURCE_EXHAUSTED
        StatusCodes.Status503ServiceUnavailable => 14, // UNAVAILABLE
        >= 400 and < 500 => 3, // INVALID_ARGUMENT
        _ => 13, // INTERNAL
    };

    private sealed class OtlpStatusResult(int statusCode, byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = OtlpEncodings.ProtobufMediaType;
            return httpContext.Response.Body.WriteAsync(body).AsTask();
        }
    }
}

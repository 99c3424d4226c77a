using EventTracker.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EventTracker.Server.Otlp;

/// <summary>Refusals of the OTLP endpoints, their 401 and 403 included, in the encoding of the request (<see cref="OtlpResults.Refusal"/>).</summary>
internal sealed class OtlpRefusalFormat : IRefusalFormat
{
    public static OtlpRefusalFormat Instance { get; } = new();

    public IResult Format(ProblemHttpResult problem, HttpContext context) =>
        OtlpResults.Refusal(problem, OtlpEncodings.Of(context.Request.ContentType) ?? OtlpEncoding.Json);
}

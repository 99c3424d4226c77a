using Microsoft.AspNetCore.Http.HttpResults;

namespace EventTracker.Server.Http;

/// <summary>
/// Endpoint metadata for a protocol whose clients do not read problem details: how a refusal made before the endpoint
/// runs (authentication, authorization) is written for it. Without it, the problem details are written as they are.
/// </summary>
internal interface IRefusalFormat
{
    /// <summary>The refusal as this protocol's clients read it, with the same status and headers.</summary>
    IResult Format(ProblemHttpResult problem, HttpContext context);
}

using System.Security.Claims;
using System.Text.Encodings.Web;
using EventTracker.Server.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace EventTracker.Server.Access;

/// <summary>
/// Authenticates a request by its API key (see <see cref="ApiKeyReader"/>) and answers refusals as problem details with
/// <c>WWW-Authenticate</c>: 401 without a key or with an unknown one, 403 with a key that lacks the scope or the origin.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string Realm = "Bearer realm=\"EventTracker\"";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ApiKeyReader.Read(Request) is not { } presented)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (registry.Find(presented) is not { } key)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not known."));
        }

        Context.SetApiKey(key);
        var identity = new ClaimsIdentity(SchemeName, ClaimTypes.Name, Scopes.ClaimType);
        identity.AddClaim(new Claim(ClaimTypes.Name, key.Name));
        foreach (var scope in key.Scopes)
        {
            identity.AddClaim(new Claim(Scopes.ClaimType, scope));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.TokenFailure() is { } reason)
        {
            Response.Headers.WWWAuthenticate = $"{Realm}, error=\"invalid_token\", error_description=\"The token was refused: {reason}.\"";
            await Refusal(Problems.Unauthorized("Authorization", $"The bearer token was refused: {reason}.")).ExecuteAsync(Context);
            return;
        }

        var presented = ApiKeyReader.Read(Request) is not null;
        Response.Headers.WWWAuthenticate = presented ? Realm + ", error=\"invalid_token\"" : Realm;
        await Refusal(Problems.Unauthorized(
                ApiKeyReader.Header,
                presented
                    ? "The API key is not known."
                    : $"An API key is required: send it as {ApiKeyReader.Header}, Authorization: Bearer, or the {ApiKeyReader.QueryParameter} query parameter."))
            .ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var refusal = Context.GetAccessRefusal();
        var byToken = Context.GetApiKey()?.FromToken == true;
        Response.Headers.WWWAuthenticate = $"{Realm}, error=\"insufficient_scope\", scope=\"{refusal.Scope}\"";
        await Refusal(Problems.Forbidden(
                refusal.OriginRefused ? "Origin" : byToken ? "Authorization" : ApiKeyReader.Header,
                refusal.OriginRefused
                    ? "This API key may not be used from this origin."
                    : $"This {(byToken ? "token" : "API key")} lacks the '{refusal.Scope}' scope."))
            .ExecuteAsync(Context);
    }

    // In the endpoint's protocol when it has one other than problem details (OTLP's google.rpc.Status).
    private IResult Refusal(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem) =>
        Context.GetEndpoint()?.Metadata.GetMetadata<IRefusalFormat>()?.Format(problem, Context) ?? problem;
}

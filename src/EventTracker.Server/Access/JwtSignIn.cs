using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace EventTracker.Server.Access;

/// <summary>
/// JWT bearer sign-in beside API keys: a request whose credential (wherever an API key may be sent) is a JWT is
/// authenticated by the JwtBearer handler, and a valid token becomes the same caller an API key does — named after its
/// subject, with the scopes its claims grant — so scopes, rate limits and id scoping work alike. Refusals go through the
/// API key handler, so a bad token gets the same 401/403 problem details as a bad key, naming why it was refused.
/// </summary>
internal static class JwtSignIn
{
    /// <summary>The scheme that picks the key or the token handler for each request.</summary>
    public const string SelectorScheme = "KeyOrToken";

    private static readonly object FailureItem = new();

    public static AuthenticationBuilder AddJwtSignIn(this AuthenticationBuilder builder, JwtOptions jwt)
    {
        builder.AddPolicyScheme(SelectorScheme, null, selector =>
        {
            selector.ForwardDefaultSelector = context => IsToken(ApiKeyReader.Read(context.Request))
                ? JwtBearerDefaults.AuthenticationScheme
                : ApiKeyAuthenticationHandler.SchemeName;
            selector.ForwardChallenge = ApiKeyAuthenticationHandler.SchemeName;
            selector.ForwardForbid = ApiKeyAuthenticationHandler.SchemeName;
        });
        return builder.AddJwtBearer(bearer =>
        {
            bearer.Authority = jwt.Authority;
            bearer.Audience = jwt.Audience;
            bearer.MapInboundClaims = false;
            bearer.Events = new JwtBearerEvents
            {
                // Where an API key may come from, a token may too (the dashboard and EventSource send ?apiKey=).
                OnMessageReceived = context =>
                {
                    context.Token = ApiKeyReader.Read(context.Request);
                    return Task.CompletedTask;
                },
                OnTokenValidated = context =>
                {
                    var principal = context.Principal!;
                    var name = principal.FindFirstValue("sub") ?? principal.FindFirstValue("client_id") ?? principal.FindFirstValue("azp") ?? "token";
                    context.HttpContext.SetApiKey(new ApiKey("jwt:" + name, [], Granted(principal, jwt), new HashSet<string>()) { FromToken = true });
                    return Task.CompletedTask;
                },
                OnAuthenticationFailed = context =>
                {
                    context.HttpContext.Items[FailureItem] = Reason(context.Exception);
                    return Task.CompletedTask;
                },
            };
        });
    }

    /// <summary>Why the request's token was refused, when it carried one that was.</summary>
    public static string? TokenFailure(this HttpContext context) => context.Items[FailureItem] as string;

    /// <summary>Whether a presented credential is a JWT (three base64url parts) rather than an API key.</summary>
    public static bool IsToken(string? credential) =>
        credential is { Length: > 0 } text && text.StartsWith("eyJ", StringComparison.Ordinal) && text.Count(c => c == '.') == 2;

    private static HashSet<string> Granted(ClaimsPrincipal principal, JwtOptions jwt)
    {
        var values = principal.FindAll(jwt.ScopeClaim).Concat(principal.FindAll("scp"))
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (jwt.RoleClaim is { Length: > 0 } roles)
        {
            values = values.Concat(principal.FindAll(roles).Select(claim => claim.Value));
        }

        return values.Where(value => Scopes.All.Contains(value)).ToHashSet(StringComparer.Ordinal);
    }

    private static string Reason(Exception exception) => exception switch
    {
        Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException => "it has expired",
        Microsoft.IdentityModel.Tokens.SecurityTokenNotYetValidException => "it is not valid yet",
        Microsoft.IdentityModel.Tokens.SecurityTokenInvalidAudienceException => "it was issued for another audience",
        Microsoft.IdentityModel.Tokens.SecurityTokenInvalidIssuerException => "it was issued by another issuer",
        Microsoft.IdentityModel.Tokens.SecurityTokenSignatureKeyNotFoundException or Microsoft.IdentityModel.Tokens.SecurityTokenInvalidSignatureException => "its signature does not verify",
        _ => "it is not a valid token",
    };
}

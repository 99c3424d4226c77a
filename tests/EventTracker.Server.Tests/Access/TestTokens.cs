using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventTracker.Server.Tests.Access;

/// <summary>Tokens from a pretend identity provider, signed with a local key: no network, as the server's tests need.</summary>
internal static class TestTokens
{
    public const string Issuer = "https://issuer.test/";
    public const string Audience = "api://eventtracker";

    public static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("a test signing key of at least 32 bytes, for HS256"));

    /// <summary>A token for <paramref name="subject"/> with these scopes (space-separated in <c>scope</c>) and roles.</summary>
    public static string Create(
        string subject, string? scope = null, string[]? roles = null, DateTime? expires = null, string issuer = Issuer, string audience = Audience,
        SecurityKey? key = null)
    {
        var claims = new List<Claim> { new("sub", subject) };
        if (scope is not null)
        {
            claims.Add(new Claim("scope", scope));
        }

        claims.AddRange((roles ?? []).Select(role => new Claim("roles", role)));
        var notBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = notBefore,
            IssuedAt = notBefore,
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>A valid token with one character of its signature changed.</summary>
    public static string Tampered(string token)
    {
        // The second-to-last character carries six whole bits of the signature; it must change (it was compared with
        // the last one instead, so about one token in 64 came back untouched and was accepted).
        var replaced = token[^2] == 'A' ? 'B' : 'A';
        return token[..^2] + replaced + token[^1];
    }
}

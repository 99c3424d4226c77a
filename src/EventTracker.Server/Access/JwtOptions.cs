namespace EventTracker.Server.Access;

/// <summary>
/// Sign-in with bearer tokens from an identity provider (configuration section <c>EventTracker:Auth:Jwt</c>), beside or
/// instead of API keys. A token's scopes come from <see cref="ScopeClaim"/> (space-separated, as OAuth writes them) and
/// <see cref="RoleClaim"/>; the values <c>ingest</c>, <c>read</c> and <c>admin</c> grant those scopes.
/// </summary>
public sealed class JwtOptions
{
    /// <summary>The provider's issuer URL; its OpenID Connect metadata names the signing keys. Required to turn sign-in on.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for (this server's API identifier at the provider). Required with <see cref="Authority"/>.</summary>
    public string? Audience { get; set; }

    /// <summary>The claim that carries scopes. Default <c>scope</c>; <c>scp</c> is read too.</summary>
    public string ScopeClaim { get; set; } = "scope";

    /// <summary>A claim whose values also grant scopes, such as <c>roles</c> for app roles. Default none.</summary>
    public string? RoleClaim { get; set; }

    /// <summary>Whether sign-in with tokens is configured.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Authority);
}

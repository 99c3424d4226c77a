namespace EventTracker.Server.Access;

/// <summary>
/// The caller as the server checks it: a configured key (its name, the SHA-256 of the key, its scopes and allowed
/// origins), or a signed-in token's subject with the scopes its claims grant.
/// </summary>
internal sealed record ApiKey(string Name, byte[] Hash, IReadOnlySet<string> Scopes, IReadOnlySet<string> AllowedOrigins)
{
    /// <summary>A caller signed in with a bearer token (<see cref="JwtSignIn"/>) rather than a configured key.</summary>
    public bool FromToken { get; init; }

    /// <summary>Whether the key carries <paramref name="scope"/>, directly or through <c>admin</c>.</summary>
    public bool Allows(string scope) => Scopes.Contains(scope) || Scopes.Contains(Access.Scopes.Admin);

    /// <summary>Whether a request from <paramref name="origin"/> (the Origin header, empty when not a browser) may use the key.</summary>
    public bool AllowsOrigin(string origin) => AllowedOrigins.Count == 0 || origin.Length == 0 || AllowedOrigins.Contains(origin);
}

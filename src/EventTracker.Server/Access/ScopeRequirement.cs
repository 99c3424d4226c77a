using Microsoft.AspNetCore.Authorization;

namespace EventTracker.Server.Access;

/// <summary>An endpoint needs a key with <see cref="Scope"/> (or <c>admin</c>), used from an origin the key allows.</summary>
internal sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

namespace EventTracker.Server.Access;

/// <summary>What an API key may do; each is also the name of the authorization policy that asks for it.</summary>
internal static class Scopes
{
    /// <summary>Send events. Public, like Sentry's DSN or PostHog's project token: safe to put in a page.</summary>
    public const string Ingest = "ingest";

    /// <summary>Read events, analytics and the live streams. Secret.</summary>
    public const string Read = "read";

    /// <summary>Everything.</summary>
    public const string Admin = "admin";

    /// <summary>The claim type that carries a key's scopes.</summary>
    public const string ClaimType = "scope";

    public static readonly string[] All = [Ingest, Read, Admin];
}

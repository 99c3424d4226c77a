namespace EventTracker.Server.Access;

/// <summary>Why a known key was refused: the scope the endpoint needs, and whether its origin was the reason.</summary>
internal readonly record struct AccessRefusal(string Scope, bool OriginRefused);

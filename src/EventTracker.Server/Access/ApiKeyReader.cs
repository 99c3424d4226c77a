namespace EventTracker.Server.Access;

/// <summary>
/// Where a request's API key comes from: <c>X-API-Key</c>, <c>Authorization: Bearer</c>, or the query parameter
/// <c>apiKey</c> (beacons, <c>EventSource</c> and browser WebSockets cannot set headers).
/// </summary>
internal static class ApiKeyReader
{
    public const string Header = "X-API-Key";
    public const string QueryParameter = "apiKey";

    public static string? Read(HttpRequest request)
    {
        if (request.Headers[Header].ToString() is { Length: > 0 } header)
        {
            return header;
        }

        if (request.Headers.Authorization.ToString() is { Length: > 7 } authorization
            && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization[7..].Trim();
        }

        return request.Query[QueryParameter].ToString() is { Length: > 0 } query ? query : null;
    }
}

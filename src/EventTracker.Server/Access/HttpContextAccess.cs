namespace EventTracker.Server.Access;

/// <summary>What authentication learned about a request, kept on its <see cref="HttpContext"/>.</summary>
internal static class HttpContextAccess
{
    private static readonly object KeyItem = new();
    private static readonly object RefusalItem = new();

    /// <summary>The API key the request authenticated with, if any.</summary>
    public static ApiKey? GetApiKey(this HttpContext context) => context.Items[KeyItem] as ApiKey;

    public static void SetApiKey(this HttpContext context, ApiKey key) => context.Items[KeyItem] = key;

    /// <summary>Whether the request may ingest: the server is open, or its key carries <c>ingest</c>.</summary>
    public static bool MayIngest(this HttpContext context, ApiKeyRegistry registry) =>
        registry.IsOpen || context.GetApiKey()?.Allows(Scopes.Ingest) == true;

    public static AccessRefusal GetAccessRefusal(this HttpContext context) =>
        context.Items[RefusalItem] as AccessRefusal? ?? new AccessRefusal(Scopes.Read, OriginRefused: false);

    public static void SetAccessRefusal(this HttpContext context, AccessRefusal refusal) => context.Items[RefusalItem] = refusal;
}

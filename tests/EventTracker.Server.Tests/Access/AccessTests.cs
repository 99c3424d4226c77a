using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventTracker.Server.Access;
using EventTracker.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace EventTracker.Server.Tests.Access;

/// <summary>API keys, tokens and scopes over real Kestrel: every endpoint against no credential, an unknown key, refused tokens, and each scope by key and by token.</summary>
public sealed class AccessTests : IClassFixture<AccessTests.KeyedServer>
{
    private const string IngestKey = "ingest-key-0123456789";
    private const string ReadKey = "read-key-0123456789abc";
    private const string AdminKey = "admin-key-0123456789ab";
    private const string PageKey = "page-key-0123456789abcd";
    private readonly KeyedServer _server;

    public AccessTests(KeyedServer server) => _server = server;

    public static TheoryData<string, string, string> Endpoints => new()
    {
        // method, path, what it needs
        { "POST", "/api/events/track/matrix", Scopes.Ingest },
        { "POST", "/api/events/track/batch", Scopes.Ingest },
        { "POST", "/v1/traces", Scopes.Ingest },
        { "POST", "/v1/logs", Scopes.Ingest },
        { "GET", "/api/events", Scopes.Read },
        { "GET", "/api/events?serviceName=svc", Scopes.Read },
        { "GET", "/api/events/services", Scopes.Read },
        { "GET", "/api/events/statistics", Scopes.Read },
        { "GET", "/api/events/suggestions", Scopes.Read },
        { "GET", "/api/events/timeseries", Scopes.Read },
        { "GET", "/api/events/trace/matrix-trace", Scopes.Read },
        { "GET", "/api/events/insights", Scopes.Read },
        { "GET", "/api/events/features", Scopes.Read },
        { "GET", "/api/ai/prompts/performance", Scopes.Read },
        { "GET", "/api/events/stream", Scopes.Read },
        { "WS", "/api/events/ws", Scopes.Read },
        { "MCP", "/mcp", Scopes.Read },
        { "GET", "/api/alerts", Scopes.Admin },
        { "POST", "/api/alerts/test", Scopes.Admin },
        { "GET", "/metrics", Scopes.Admin },
        { "GET", "/api/monitor.js", "public" },
        { "GET", "/healthz", "public" },
        { "GET", "/", "public" },
        { "GET", "/dashboard.js", "public" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_endpoint_answers_each_kind_of_key_as_its_scope_requires(string method, string path, string needs)
    {
        (string? Key, string Name)[] callers =
        [
            (null, "none"), ("not-a-key-000000000000", "unknown"), (IngestKey, Scopes.Ingest), (ReadKey, Scopes.Read), (AdminKey, Scopes.Admin),
            (TestTokens.Create("svc-ingest", scope: "ingest"), Scopes.Ingest),
            (TestTokens.Create("analyst", scope: "openid read"), Scopes.Read),
            (TestTokens.Create("operator", roles: ["admin"]), Scopes.Admin),
            (TestTokens.Create("nobody", scope: "openid profile"), "no scope"),
            (TestTokens.Create("late", scope: "read", expires: DateTime.UtcNow.AddMinutes(-10)), "unknown"),
            (TestTokens.Create("elsewhere", scope: "read", audience: "api://another"), "unknown"),
            (TestTokens.Create("forged", scope: "read", issuer: "https://evil.test/"), "unknown"),
            (TestTokens.Tampered(TestTokens.Create("tampered", scope: "admin")), "unknown"),
        ];
        foreach (var (key, name) in callers)
        {
            var expected = needs == "public" ? HttpStatusCode.OK
                : key is null || name == "unknown" ? HttpStatusCode.Unauthorized
                : name == needs || name == Scopes.Admin ? HttpStatusCode.OK
                : HttpStatusCode.Forbidden;

            var actual = method == "WS" ? await WebSocketStatusAsync(path, key) : await StatusAsync(method, path, key);
            actual = (int)actual is >= 200 and < 300 ? HttpStatusCode.OK : actual; // a test alert is 202 Accepted

            Assert.True(expected == actual, $"{method} {path} with {name} {(JwtSignIn.IsToken(key) ? "token" : "key")}: expected {(int)expected}, got {(int)actual}");
        }
    }

    [Fact]
    public async Task Refusals_are_problem_details_with_www_authenticate()
    {
        using var client = _server.CreateClient();

        using var missing = await client.GetAsync("/api/events");
        using var unknown = await Send(client, HttpMethod.Get, "/api/events", "not-a-key-000000000000");
        using var wrongScope = await Send(client, HttpMethod.Get, "/api/events", IngestKey);

        Assert.Equal("Bearer realm=\"EventTracker\"", missing.Headers.WwwAuthenticate.ToString());
        Assert.Contains("error=\"invalid_token\"", unknown.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("error=\"insufficient_scope\", scope=\"read\"", wrongScope.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        foreach (var response in new[] { missing, unknown, wrongScope })
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty("X-API-Key", out _));
        }
    }

    [Theory]
    [InlineData("expired", "it has expired")]
    [InlineData("audience", "it was issued for another audience")]
    [InlineData("issuer", "it was issued by another issuer")]
    [InlineData("signature", "its signature does not verify")]
    public async Task A_refused_token_gets_problem_details_saying_why(string flaw, string reason)
    {
        var token = flaw switch
        {
            "expired" => TestTokens.Create("late", scope: "read", expires: DateTime.UtcNow.AddMinutes(-10)),
            "audience" => TestTokens.Create("elsewhere", scope: "read", audience: "api://another"),
            "issuer" => TestTokens.Create("forged", scope: "read", issuer: "https://evil.test/"),
            _ => TestTokens.Tampered(TestTokens.Create("tampered", scope: "read")),
        };
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.Authorization = new("Bearer", token);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Contains(reason, errors.GetProperty("Authorization")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_is_a_sender_of_its_own_and_is_accepted_where_a_key_is()
    {
        var token = TestTokens.Create("dashboard-user", scope: "read ingest");
        using var client = _server.CreateClient();
        using var tracked = new HttpRequestMessage(HttpMethod.Post, "/api/events/track/by-token") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        tracked.Headers.Authorization = new("Bearer", token);
        tracked.Headers.Add("Idempotency-Key", "token-id-1");

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(tracked)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/events?apiKey=" + token)).StatusCode); // as the dashboard and EventSource send it
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/events/features?apiKey=" + TestTokens.Create("writer", scope: "ingest"))).StatusCode);
    }

    [Fact]
    public async Task A_key_is_accepted_as_a_bearer_token_and_as_the_api_key_query_parameter()
    {
        using var client = _server.CreateClient();
        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        bearer.Headers.Authorization = new("Bearer", ReadKey);

        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/events?apiKey=" + ReadKey)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/events?apiKey=" + IngestKey)).StatusCode);
    }

    [Theory]
    [InlineData("https://shop.example", HttpStatusCode.OK)]
    [InlineData(null, HttpStatusCode.OK)]
    [InlineData("https://elsewhere.example", HttpStatusCode.Forbidden)]
    public async Task A_key_limited_to_origins_refuses_other_browser_origins(string? origin, HttpStatusCode expected)
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/track/from-page?apiKey=" + PageKey) { Content = new StringContent("{}") };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Contains("\"Origin\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(ReadKey, false)]
    [InlineData(AdminKey, true)]
    public async Task Websocket_track_messages_need_the_ingest_scope(string key, bool tracks)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader(ApiKeyReader.Header, key);
        await socket.ConnectAsync(new Uri(_server.WebSocketAddress, "/api/events/ws"), CancellationToken.None);
        await socket.SendAsync("""{"type":"track","eventName":"from-socket"}"""u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);

        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string? type;
        do
        {
            // The socket also streams the event it stored, before or after the answer to the track message, and the
            // periodic stats and pings whenever they fall due.
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            type = JsonDocument.Parse(buffer.AsMemory(0, received.Count)).RootElement.GetProperty("type").GetString();
        }
        while (type is "event" or "stats" or "ping");

        Assert.Equal(tracks ? "track" : "error", type);
    }

    [Fact]
    public async Task Idempotency_keys_and_batch_ids_belong_to_their_sender()
    {
        using var client = _server.CreateClient();
        var key = "shared-" + Guid.NewGuid().ToString("N");

        async Task<string> TrackAsync(string apiKey)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/track/scoped") { Content = new StringContent("{}") };
            request.Headers.Add(ApiKeyReader.Header, apiKey);
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;
        }

        async Task<bool> BatchReplayedAsync(string apiKey)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/track/batch")
            {
                Content = new StringContent($$$"""{"batchId":"{{{key}}}","events":[{"eventName":"scoped-batch"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(ApiKeyReader.Header, apiKey);
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return response.Headers.Contains("Idempotent-Replayed");
        }

        Assert.Equal("Event tracked successfully", await TrackAsync(IngestKey));
        Assert.Equal("Event tracked successfully", await TrackAsync(AdminKey));
        Assert.Equal("Event already tracked", await TrackAsync(IngestKey));
        Assert.False(await BatchReplayedAsync(IngestKey));
        Assert.False(await BatchReplayedAsync(AdminKey));
        Assert.True(await BatchReplayedAsync(AdminKey));
    }

    [Theory]
    [InlineData("https://ok.example", HttpStatusCode.OK)]
    [InlineData("https://elsewhere.example", HttpStatusCode.Forbidden)]
    [InlineData(null, HttpStatusCode.OK)]
    public async Task Websockets_from_origins_outside_allowed_origins_are_refused(string? origin, HttpStatusCode expected)
    {
        await using var server = new TestServerFactory(new Dictionary<string, string?> { ["ALLOWED_ORIGINS"] = "https://ok.example" }, kestrel: true);
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        HttpStatusCode status;
        try
        {
            await socket.ConnectAsync(new UriBuilder(server.ClientOptions.BaseAddress) { Scheme = "ws", Path = "/api/events/ws" }.Uri, CancellationToken.None);
            status = HttpStatusCode.OK;
        }
        catch (WebSocketException)
        {
            status = socket.HttpStatusCode;
        }

        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task With_no_keys_configured_every_endpoint_is_open_whatever_key_is_sent()
    {
        await using var open = new TestServerFactory();
        using var client = open.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/events/track/open", new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Get, "/api/events", "anything-at-all-1234")).StatusCode);
    }

    private async Task<HttpStatusCode> StatusAsync(string method, string path, string? key)
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(method == "MCP" ? HttpMethod.Post : new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent(path.EndsWith("batch", StringComparison.Ordinal) ? """{"events":[{"eventName":"matrix"}]}""" : "{}", Encoding.UTF8, "application/json");
        }
        else if (method == "MCP")
        {
            request.Content = new StringContent(
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"matrix","version":"1"}}}""",
                Encoding.UTF8,
                "application/json");
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
        }

        if (JwtSignIn.IsToken(key))
        {
            request.Headers.Authorization = new("Bearer", key);
        }
        else if (key is not null)
        {
            request.Headers.Add(ApiKeyReader.Header, key);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> WebSocketStatusAsync(string path, string? key)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (key is not null)
        {
            socket.Options.SetRequestHeader(JwtSignIn.IsToken(key) ? "Authorization" : ApiKeyReader.Header, JwtSignIn.IsToken(key) ? "Bearer " + key : key);
        }

        try
        {
            await socket.ConnectAsync(new Uri(_server.WebSocketAddress, path), CancellationToken.None);
            return HttpStatusCode.OK;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string key, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(ApiKeyReader.Header, key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return client.SendAsync(request);
    }

    /// <summary>The server with an ingest, a read, an admin and an origin-limited page key (the read key given by its hash).</summary>
    /// <summary>A server with a key of each scope, holding one event whose correlation id is <c>matrix-trace</c>.</summary>
    public sealed class KeyedServer : IAsyncLifetime
    {
        private readonly TestServerFactory _factory = new(
            new Dictionary<string, string?>
            {
                ["EventTracker:Auth:Keys:0:Name"] = "backend",
                ["EventTracker:Auth:Keys:0:Key"] = IngestKey,
                ["EventTracker:Auth:Keys:0:Scopes:0"] = Scopes.Ingest,
                ["EventTracker:Auth:Keys:1:Name"] = "analyst",
                ["EventTracker:Auth:Keys:1:KeyHash"] = Convert.ToHexStringLower(ApiKeyRegistry.Hash(ReadKey)),
                ["EventTracker:Auth:Keys:1:Scopes:0"] = Scopes.Read,
                ["EventTracker:Auth:Keys:2:Name"] = "operator",
                ["EventTracker:Auth:Keys:2:Key"] = AdminKey,
                ["EventTracker:Auth:Keys:2:Scopes:0"] = Scopes.Admin,
                ["EventTracker:Auth:Keys:3:Name"] = "shop-page",
                ["EventTracker:Auth:Keys:3:Key"] = PageKey,
                ["EventTracker:Auth:Keys:3:Scopes:0"] = Scopes.Ingest,
                ["EventTracker:Auth:Keys:3:AllowedOrigins:0"] = "https://shop.example",
                // So that POST /api/alerts/test has a webhook to queue for: nothing listens there, one attempt fails.
                ["EventTracker:Alerts:Webhooks:0:Name"] = "nowhere",
                ["EventTracker:Alerts:Webhooks:0:Url"] = $"http://127.0.0.1:{LoopbackPorts.Free()}/hook",
                ["EventTracker:Alerts:MaxAttempts"] = "1",
                ["EventTracker:Auth:Jwt:Authority"] = TestTokens.Issuer,
                ["EventTracker:Auth:Jwt:Audience"] = TestTokens.Audience,
                ["EventTracker:Auth:Jwt:RoleClaim"] = "roles",
            },
            kestrel: true,
            services: services => services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, bearer =>
            {
                // What the provider's metadata would say, given here so that no test reaches the network.
                var configuration = new OpenIdConnectConfiguration { Issuer = TestTokens.Issuer };
                configuration.SigningKeys.Add(TestTokens.Key);
                bearer.Configuration = configuration;
                bearer.ConfigurationManager = new Microsoft.IdentityModel.Protocols.StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            }));

        public Uri WebSocketAddress => new UriBuilder(_factory.ClientOptions.BaseAddress) { Scheme = "ws" }.Uri;

        public HttpClient CreateClient() => _factory.CreateClient();

        public async Task InitializeAsync()
        {
            using var client = CreateClient();
            using var response = await Send(client, HttpMethod.Post, "/api/events/track/matrix", IngestKey, """{"correlationId":"matrix-trace"}""");
            response.EnsureSuccessStatusCode();
        }

        public async Task DisposeAsync() => await _factory.DisposeAsync();
    }
}

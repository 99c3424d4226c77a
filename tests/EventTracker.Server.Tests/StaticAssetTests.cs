using System.IO.Compression;
using System.Net;

namespace EventTracker.Server.Tests;

public sealed class StaticAssetTests : IAsyncLifetime
{
    private readonly TestServerFactory _factory = new();
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Scripts_come_compressed_when_the_browser_takes_it_with_an_etag_to_revalidate(string encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/monitor.js");
        request.Headers.AcceptEncoding.ParseAdd(encoding);

        using var response = await _client.SendAsync(request);

        Assert.Equal(encoding, Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.NotNull(response.Headers.ETag);
        Assert.Contains("must-revalidate", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/api/monitor.js");
        revalidate.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await _client.SendAsync(revalidate)).StatusCode);
    }

    [Fact]
    public async Task Api_answers_and_the_stream_are_not_compressed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        request.Headers.AcceptEncoding.ParseAdd("br, gzip");

        using var response = await _client.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Theory]
    [InlineData("/api/monitor.js", 3 * 1024)]
    [InlineData("/api/monitor-overlay.js", 1024)]
    public async Task Monitor_scripts_are_served_as_javascript_within_their_size_budgets(string path, int gzippedBudget)
    {
        using var response = await _client.GetAsync(path);
        var script = await response.Content.ReadAsByteArrayAsync();
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(script);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.InRange(gzipped.Length, 1, gzippedBudget);
    }

    [Theory]
    [InlineData("/", "connect-src 'self'")]
    [InlineData("/test-cors.html", "connect-src *")]
    public async Task Pages_carry_a_strict_content_security_policy(string path, string connect)
    {
        using var response = await _client.GetAsync(path);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Contains(connect, policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_is_served_bundled_with_its_npm_packages()
    {
        using var script = await _client.GetAsync("/dashboard.js");
        using var styles = await _client.GetAsync("/dashboard.css");

        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Contains("uplot", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, styles.StatusCode);
        Assert.Contains(".uplot", await styles.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

using System.IO.Compression;
using System.Net;
using System.Text;

namespace EventTracker.Server.Tests;

/// <summary>Ingestion bodies compressed with gzip, br or deflate, and the limit on what they inflate to.</summary>
public sealed class CompressedBodyTests : IDisposable
{
    private readonly TestServerFactory _factory = new();
    private readonly HttpClient _client;

    public CompressedBodyTests() => _client = _factory.CreateClient();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    public async Task A_compressed_batch_is_stored(string encoding)
    {
        var batch = $$"""{"events":[{{string.Join(",", Enumerable.Range(0, 200).Select(i => $$$"""{"eventName":"zipped","payload":{"serviceName":"{{{encoding}}}","responseTimeMs":{{{i}}}}}"""))}}]}""";

        using var response = await _client.SendAsync(Compressed("/api/events/track/batch", Encoding.UTF8.GetBytes(batch), encoding));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(200, (await _client.GetEventsAsync($"?serviceName={encoding}&limit=1000")).Filtered);
    }

    [Fact]
    public async Task A_body_that_would_inflate_past_the_limit_is_refused_without_being_inflated()
    {
        // 64 MiB of spaces inside a JSON string compress to about 64 KiB.
        var bomb = new MemoryStream();
        using (var gzip = new GZipStream(bomb, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write("""{"metadata":{"padding":" """u8);
            var spaces = new byte[1024 * 1024];
            Array.Fill(spaces, (byte)' ');
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(spaces);
            }

            gzip.Write("\"}}"u8);
        }

        using var response = await _client.SendAsync(Compressed("/api/events/track/bomb", bomb.ToArray(), "gzip", alreadyCompressed: true));

        Assert.True(bomb.Length < 1024 * 1024);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, (await _client.GetEventsAsync("?eventName=bomb")).Filtered);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    public async Task A_body_that_is_not_what_its_encoding_says_is_refused_naming_the_encoding(string encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/track/broken") { Content = new ByteArrayContent("{\"not\":\"compressed\"}"u8.ToArray()) };
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.ContentEncoding.Add(encoding);

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"Content-Encoding\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_encoding_is_refused_naming_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events/track/zstd") { Content = new ByteArrayContent("{}"u8.ToArray()) };
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.ContentEncoding.Add("zstd");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("\"Content-Encoding\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage Compressed(string path, byte[] body, string encoding, bool alreadyCompressed = false)
    {
        var bytes = body;
        if (!alreadyCompressed)
        {
            using var buffer = new MemoryStream();
            using (Stream compressor = encoding switch
            {
                "gzip" => new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true),
                "br" => new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true),
                _ => new ZLibStream(buffer, CompressionLevel.Fastest, leaveOpen: true),
            })
            {
                compressor.Write(body);
            }

            bytes = buffer.ToArray();
        }

        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Content.Headers.ContentEncoding.Add(encoding);
        return request;
    }
}

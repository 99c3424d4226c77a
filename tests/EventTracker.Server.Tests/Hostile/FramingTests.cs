using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace EventTracker.Server.Tests.Hostile;

/// <summary>Requests broken at the HTTP level, written byte for byte on a socket: Kestrel's 4xx, never a 5xx.</summary>
public sealed class FramingTests : IAsyncLifetime
{
    private readonly TestServerFactory _factory = new(
        kestrel: true,
        services: s => s.Configure<KestrelServerOptions>(o => o.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 100, gracePeriod: TimeSpan.FromSeconds(1.5))));

    public static TheoryData<string, string> Requests => new()
    {
        { "gzip then chunked", "POST /api/events/track/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\nContent-Type: application/json\r\n\r\n2\r\n{}\r\n0\r\n\r\n" },
        { "chunk size not hex", "POST /api/events/track/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n" },
        { "chunk size overflow", "POST /api/events/track/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n" },
        { "chunk without its CRLF", "POST /api/events/track/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n" },
        { "negative chunk size", "POST /api/events/track/batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-2\r\n{}\r\n0\r\n\r\n" },
        { "deflate only", "POST /api/events/track/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: deflate\r\nContent-Length: 2\r\n\r\n{}" },
        { "two lengths", "POST /api/events/track/a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{} " },
        { "negative length", "POST /api/events/track/a HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n" },
        { "null in the path", "POST /api/events/track/a%00b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}" },
        { "no host", "POST /api/events/track/a HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}" },
        { "bad request line", "POST\r\nHost: x\r\n\r\n" },
        { "spaces in the target", "POST /api/events/track/a b HTTP/1.1\r\nHost: x\r\n\r\n" },
        { "header without colon", "GET /api/events HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n" },
        { "huge header", "GET /api/events HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('a', 40_000) + "\r\n\r\n" },
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Broken_requests_get_a_4xx_and_store_nothing(string name, string request)
    {
        var status = await SendAsync(Encoding.Latin1.GetBytes(request));

        Assert.True(status is >= 400 and < 500, $"{name}: {status}");
        Assert.Equal(0, _factory.Store.Count);
    }

    [Fact]
    public async Task A_body_that_stalls_gets_408()
    {
        var status = await SendAsync("POST /api/events/track/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"events\":["u8.ToArray());

        Assert.Equal(408, status);
        Assert.Equal(0, _factory.Store.Count);
    }

    /// <summary>Sends <paramref name="request"/> and keeps the connection open until the status line comes back.</summary>
    private async Task<int> SendAsync(byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_factory.ClientOptions.BaseAddress.Host, _factory.ClientOptions.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var buffer = new byte[256];
        var read = 0;
        while (read < 12)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        var statusLine = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.StartsWith("HTTP/1.1 ", statusLine, StringComparison.Ordinal);
        return int.Parse(statusLine.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }
}

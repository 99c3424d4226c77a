using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using EventTracker.Contracts;

namespace EventTracker.Server.Tests.Hostile;

/// <summary>Hostile WebSocket frames: an error envelope naming the field and the connection kept, or the protocol's close code; never a dropped connection.</summary>
public sealed class HostileWebSocketTests : IAsyncLifetime
{
    private readonly TestServerFactory _factory = new(
        new Dictionary<string, string?> { ["EventTracker:Streams:StatsInterval"] = "01:00:00", ["EventTracker:Streams:PingInterval"] = "01:00:00" },
        kestrel: true);

    private ClientWebSocket _socket = null!;

    public static TheoryData<string, string, string> Messages => new()
    {
        // name, message as base64 of its bytes, field the error names
        { "track name with a lone surrogate", Base64("""{"type":"track","eventName":"a\ud800"}"""), "eventName" },
        { "track payload with a lone surrogate", Base64("""{"type":"track","eventName":"a","payload":{"metadata":{"note":"\udc00"}}}"""), "payload.metadata.note" },
        { "track key with a lone surrogate", Base64("""{"type":"track","eventName":"a","payload":{"\ud83d":1}}"""), "payload.(a property name)" },
        { "filter with a lone surrogate", Base64("""{"type":"filter","serviceName":"\ud800"}"""), "serviceName" },
        { "deep nesting", Base64("{\"type\":\"track\",\"payload\":" + new string('[', 200) + new string(']', 200) + "}"), "message" },
        { "track with an out-of-range time", Base64("""{"type":"track","eventName":"a","payload":{"timestamp":"0001-01-01T00:00:00Z"}}"""), "payload.timestamp" },
        { "track with a wrong type", Base64("""{"type":"track","eventName":"a","payload":{"statusCode":"x"}}"""), "payload.statusCode" },
        { "not an object", Base64("[1,2,3]"), "type" },
        { "truncated", Base64("""{"type":"track","eventName":"""), "message" },
    };

    public async Task InitializeAsync()
    {
        _socket = new ClientWebSocket();
        var uri = new UriBuilder(_factory.ClientOptions.BaseAddress) { Scheme = "ws", Path = EventTrackerRoutes.WebSocket }.Uri;
        await _socket.ConnectAsync(uri, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _socket.Dispose();
        await _factory.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task Text_and_binary_messages_get_an_error_naming_the_field_and_the_socket_stays_open(string name, string message, string field)
    {
        foreach (var kind in new[] { WebSocketMessageType.Text, WebSocketMessageType.Binary })
        {
            await _socket.SendAsync(Convert.FromBase64String(message), kind, endOfMessage: true, CancellationToken.None);
            var reply = await ReceiveAsync();
            await _socket.SendAsync("""{"type":"ping"}"""u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

            Assert.True(reply.Type == "error", $"{name} ({kind}): {reply.Type}");
            Assert.True(reply.Data.GetProperty("errors").TryGetProperty(field, out _), $"{name} ({kind}): {reply.Data}");
            Assert.Equal("pong", (await ReceiveAsync()).Type);
        }

        Assert.Equal(0, _factory.Store.Count);
    }

    [Fact]
    public async Task A_binary_frame_that_is_not_utf8_gets_an_error_and_the_socket_stays_open()
    {
        byte[] bytes = [.. "{\"type\":\"track\",\"eventName\":\""u8, 0xFF, 0xFE, .. "\"}"u8];

        await _socket.SendAsync(bytes, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        var reply = await ReceiveAsync();
        Assert.Equal("error", reply.Type);
        Assert.True(reply.Data.GetProperty("errors").TryGetProperty("eventName", out _));
        Assert.Equal(WebSocketState.Open, _socket.State);
    }

    [Fact]
    public async Task A_text_frame_that_is_not_utf8_ends_the_connection_and_the_server_keeps_serving()
    {
        byte[] bytes = [.. "{\"type\":\"ping\",\"x\":\""u8, 0xC0, 0xAF, .. "\"}"u8];

        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        // The platform validates text frames itself: it answers with close 1007, which must arrive before the connection ends.
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await _socket.ReceiveAsync(buffer, timeout.Token)).MessageType != WebSocketMessageType.Close)
        {
        }

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, _socket.CloseStatus);

        using var next = new ClientWebSocket();
        await next.ConnectAsync(new UriBuilder(_factory.ClientOptions.BaseAddress) { Scheme = "ws", Path = EventTrackerRoutes.WebSocket }.Uri, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, next.State);
    }

    [Theory]
    [InlineData("reserved opcode", 0x83, new byte[] { 0x61, 0x62, 0x63 }, 1002)]
    [InlineData("reserved bit without an extension", 0xC1, new byte[] { 0x61, 0x62, 0x63 }, 1002)]
    [InlineData("text that is not UTF-8", 0x81, new byte[] { 0xC0, 0xAF }, 1007)]
    public async Task A_protocol_error_gets_its_close_frame_before_the_connection_ends(string name, int firstByte, byte[] payload, int closeStatus)
    {
        // Raw frames, as a broken client sends them; the close frame used to lose the race with a TCP reset now and then.
        var address = _factory.ClientOptions.BaseAddress;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(address.Host, address.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET {EventTrackerRoutes.WebSocket} HTTP/1.1\r\nHost: {address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
            await ReadPastHeadersAsync(stream);
            byte[] mask = [1, 2, 3, 4];
            await stream.WriteAsync((byte[])[(byte)firstByte, (byte)(0x80 | payload.Length), .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))]);

            var frame = await ReadCloseFrameAsync(stream);

            Assert.True(frame is not null, $"{name}, attempt {attempt}: the connection ended without a close frame");
            Assert.Equal(closeStatus, frame.Value);
        }
    }

    private static async Task ReadPastHeadersAsync(System.Net.Sockets.NetworkStream stream)
    {
        var seen = new List<byte>();
        var one = new byte[1];
        while (seen.Count < 4 || !seen.TakeLast(4).SequenceEqual("\r\n\r\n"u8.ToArray()))
        {
            Assert.Equal(1, await stream.ReadAsync(one));
            seen.Add(one[0]);
        }
    }

    // The status of the close frame the server sends first, or null when the connection ends (or resets) before one arrives whole.
    private static async Task<int?> ReadCloseFrameAsync(System.Net.Sockets.NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (received.Count < 4)
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return null;
                }

                received.AddRange(buffer.Take(read));
            }
        }
        catch (IOException)
        {
            return null;
        }

        return received[0] == 0x88 ? (received[2] << 8) | received[3] : null;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private async Task<StreamMessage> ReceiveAsync()
    {
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await _socket.ReceiveAsync(buffer, timeout.Token);
        return JsonSerializer.Deserialize(buffer.AsSpan(0, result.Count), EventTrackerJsonContext.Default.StreamMessage)!;
    }
}

using System.Security.Cryptography;
using System.Text;

namespace EventTracker.Server.Tests.Alerts;

/// <summary>Checks a message's signature as a receiver following Standard Webhooks would, from its headers and raw body.</summary>
internal static class Signatures
{
    /// <summary>The key a receiver derives from the secret it was given: base64 after <c>whsec_</c>, else the UTF-8 bytes.</summary>
    public static byte[] Key(string secret) =>
        secret.StartsWith("whsec_", StringComparison.Ordinal) ? Convert.FromBase64String(secret["whsec_".Length..]) : Encoding.UTF8.GetBytes(secret);

    public static void AssertSigned(ReceivedWebhook message, string secret)
    {
        var id = message.Header("webhook-id");
        var timestamp = message.Header("webhook-timestamp");
        var signature = message.Header("webhook-signature");
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Matches("^[0-9]+$", timestamp);
        Assert.NotNull(signature);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key(secret), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{message.Body}")));
        Assert.Contains(expected, signature.Split(' '));
    }
}

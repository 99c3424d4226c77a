using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventTracker.Server.Alerts;

/// <summary>
/// Signs a message the Standard Webhooks way: <c>webhook-signature: v1,&lt;base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))&gt;</c>.
/// </summary>
internal static class WebhookSignature
{
    /// <summary>The prefix of a secret given as base64, as Standard Webhooks libraries write them.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>
    /// The HMAC key of a configured secret: after <see cref="SecretPrefix"/> its base64-decoded bytes (what every
    /// Standard Webhooks library does with such a secret), else the secret's UTF-8 bytes.
    /// </summary>
    public static bool TryReadKey(string secret, out byte[] key)
    {
        key = [];
        if (secret.Length == 0)
        {
            return false;
        }

        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal))
        {
            key = Encoding.UTF8.GetBytes(secret);
            return true;
        }

        var encoded = secret[SecretPrefix.Length..];
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written) || written == 0)
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }

    /// <summary>The <c>webhook-signature</c> header's value.</summary>
    public static string Sign(byte[] key, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{id}.{timestamp}."));
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }
}

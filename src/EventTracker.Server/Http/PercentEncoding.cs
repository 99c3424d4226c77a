using System.Text.Unicode;
using EventTracker.Server.Validation;
using Microsoft.AspNetCore.Http.Features;

namespace EventTracker.Server.Http;

/// <summary>
/// Checks text as it came on the wire, before ASP.NET Core decodes it: percent-escapes in a path or query string that do
/// not decode to valid UTF-8 are replaced with U+FFFD by the platform, and this server refuses them instead.
/// </summary>
internal static class PercentEncoding
{
    /// <summary>Whether <paramref name="raw"/> (percent-encoded, <c>+</c> for space) decodes to valid UTF-8.</summary>
    public static bool IsValidUtf8(ReadOnlySpan<char> raw)
    {
        if (!raw.Contains('%'))
        {
            return true;
        }

        Span<byte> buffer = raw.Length <= 512 ? stackalloc byte[raw.Length * 3] : new byte[raw.Length * 3];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
            {
                buffer[length++] = (byte)((Hex(raw[i + 1]) << 4) | Hex(raw[i + 2]));
                i += 2;
            }
            else
            {
                length += System.Text.Encoding.UTF8.GetBytes(raw.Slice(i, char.IsHighSurrogate(raw[i]) && i + 1 < raw.Length ? 2 : 1), buffer[length..]);
                i += char.IsHighSurrogate(raw[i]) && i + 1 < raw.Length ? 1 : 0;
            }
        }

        return Utf8.IsValid(buffer[..length]);
    }

    /// <summary>
    /// A route value from the request's path as the client sent it: routing decodes every escape in a segment except
    /// <c>%2F</c>, which would otherwise split it, and turns escapes that are not UTF-8 into U+FFFD, which is refused here
    /// under <paramref name="field"/>.
    /// </summary>
    public static string PathValue(HttpRequest request, string routeValue, string field, ValidationErrors errors)
    {
        if (request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget is { } target
            && !IsValidUtf8(target.AsSpan(0, target.IndexOf('?') is var q and >= 0 ? q : target.Length)))
        {
            errors.Add(field, "Must be valid UTF-8 text.");
        }

        return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The names of the query parameters in <paramref name="rawQuery"/> (<c>?a=1&amp;b=2</c>) whose values are not valid UTF-8.</summary>
    public static HashSet<string> InvalidQueryParameters(string? rawQuery)
    {
        var invalid = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(rawQuery))
        {
            return invalid;
        }

        foreach (var pair in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            if (!IsValidUtf8(pair.AsSpan(equals + 1)) || !IsValidUtf8(name))
            {
                invalid.Add(Uri.UnescapeDataString(name.Replace('+', ' ')));
            }
        }

        return invalid;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int Hex(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
